package org.provproxy.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Apache HttpClient's wire and header logs ({@code org.apache.hc.client5.http.wire}, {@code …headers} at DEBUG)
 * print every request and answer of XSI and the DMS: the Authorization header (the portal password in Base64, a
 * Digest response), cookies, and the device and SIP passwords of the documents. An operator who turns them on to
 * debug a backend must not thereby write secrets to the log: this filter masks them in every event of the
 * {@code org.apache.hc} loggers ({@code Authorization: ***}, {@code <password>***}) and lets the rest pass.
 * <p>
 * A turbo filter sees an event before it is made, but cannot change it: an event that holds a secret is denied and
 * logged again, masked, by the same logger. Every other logger costs one string comparison. Installed by
 * {@link SecretMasking}.
 */
public final class SecretMaskingTurboFilter extends TurboFilter {

    static final String NAME = "provisioning-secret-masking";
    private static final String LOGGERS = "org.apache.hc.";
    /**
     * A header of credentials, its value to the end of the line: the wire log writes CR LF as {@code [\r][\n]};
     * a Digest value holds quotes and commas, so nothing else ends it.
     */
    private static final Pattern HEADER = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization|cookie|set-cookie)(:\\s*)(?:(?!\\[\\\\[rn]\\])[^\\r\\n])+");
    /** The text of an XML element whose name ends in password, passcode, secret or token, as Recorder masks them. */
    private static final Pattern ELEMENT = Pattern.compile(
            "(<(?:[\\w.-]+:)?[\\w.-]*(?i:password|passcode|secret|token)(?:\\s[^>]*)?>)[^<\\[\"]+");
    private static final String MASK = "***";

    private final ThreadLocal<Boolean> relogging = ThreadLocal.withInitial(() -> false);

    public SecretMaskingTurboFilter() {
        setName(NAME);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || !logger.getName().startsWith(LOGGERS) || relogging.get()
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        boolean masked = false;
        String maskedFormat = format;
        if (format != null && !format.equals(mask(format))) {
            maskedFormat = mask(format);
            masked = true;
        }
        Object[] maskedParams = params;
        if (params != null) {
            maskedParams = params.clone();
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) {
                    continue;
                }
                String text = String.valueOf(params[i]);
                String safe = mask(text);
                if (!safe.equals(text)) {
                    maskedParams[i] = safe;
                    masked = true;
                }
            }
        }
        if (!masked) {
            return FilterReply.NEUTRAL;
        }
        relogging.set(true);
        try {
            logger.log(marker, Logger.class.getName(), Level.toLocationAwareLoggerInteger(level), maskedFormat,
                    maskedParams, t);
        } finally {
            relogging.set(false);
        }
        return FilterReply.DENY;
    }

    static String mask(String text) {
        if (text.indexOf(':') < 0 && text.indexOf('<') < 0) {
            return text;
        }
        String headerMasked = replace(HEADER, text, "$1$2" + MASK);
        return replace(ELEMENT, headerMasked, "$1" + MASK);
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(replacement) : text;
    }
}
