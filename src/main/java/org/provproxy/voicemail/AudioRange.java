package org.provproxy.voicemail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range a player asks for ({@code Range: bytes=a-b} or {@code bytes=a-}), or none. Only what can be
 * served without knowing the length up front is taken: a suffix range ({@code bytes=-n}), several ranges, another
 * unit, anything malformed, or a Range under {@code If-Range} (no validator of ours can match it) is ignored, and
 * the whole message answered with 200, as RFC 9110 (14.2) allows.
 *
 * @param first the first byte wanted
 * @param last  the last byte wanted, or -1 for "to the end"
 */
public record AudioRange(long first, long last) {

    private static final Pattern RANGE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d{1,15})\\s*-\\s*(\\d{0,15})\\s*");

    /** The range of a Range header, or null to answer the whole message. */
    public static AudioRange of(String range, String ifRange) {
        if (range == null || ifRange != null) {
            return null;
        }
        Matcher matcher = RANGE.matcher(range);
        if (!matcher.matches()) {
            return null;
        }
        long first = Long.parseLong(matcher.group(1));
        long last = matcher.group(2).isEmpty() ? -1 : Long.parseLong(matcher.group(2));
        return last >= 0 && last < first ? null : new AudioRange(first, last);
    }

    /** How many bytes the range asks for at most ({@code Long.MAX_VALUE} to the end). */
    long length() {
        return last < 0 ? Long.MAX_VALUE : last - first + 1;
    }

    @Override
    public String toString() {
        return "bytes=" + first + "-" + (last < 0 ? "" : last);
    }
}
