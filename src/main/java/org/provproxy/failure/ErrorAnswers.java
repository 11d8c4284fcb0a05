package org.provproxy.failure;

import org.provproxy.account.AccountVersions;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.walk.WalkAggregationStrategy;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The one place where a failure becomes an answer. {@link #decide} classifies the caught exception (a
 * {@link ProvisioningFailure} keeps its kind; an I/O error talking to XSI or the DMS means the backend is
 * unavailable; anything else is internal) and picks the outcome; {@link #render} writes the error answer.
 *
 * <p>Re-provisioning adds the logout decision: the tenant's logout status only when access is certainly gone
 * (XSI says the credentials are wrong or the user no longer exists; the device was removed, if the tenant says
 * so). Transient trouble never logs anyone out: the app keeps its config (304) when it sent a validator, else it
 * gets the last good account, else 503.
 */
@Component("errorAnswers")
public class ErrorAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    /** Not the user's doing and maybe gone in a minute: never a reason to log out or to drop a working config. */
    static final Set<FailureKind> TRANSIENT = EnumSet.of(FailureKind.BACKEND_UNAVAILABLE, FailureKind.BACKEND_MALFORMED,
            FailureKind.BACKEND_REJECTED, FailureKind.DMS_REJECTED, FailureKind.INTERNAL);

    public static final String NOT_MODIFIED = "not-modified";
    public static final String STALE = "stale";
    public static final String ANSWER = "answer";

    private final MessageSource messages;
    private final ProvisioningProperties properties;

    public ErrorAnswers(MessageSource messages, ProvisioningProperties properties) {
        this.messages = messages;
        this.properties = properties;
    }

    /** Classifies the failure (property {@code failureKind}) and returns what to answer: one of the constants. */
    public String decide(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FailureKind kind = classify(caught);
        exchange.setProperty("failureKind", kind);
        log(exchange, kind, caught);
        if (!TRANSIENT.contains(kind)) {
            return ANSWER;
        }
        if (AccountVersions.conditional(exchange)) {
            String held = exchange.getProperty("ifNoneMatch", String.class);
            if (exchange.getProperty("etag") == null && held != null && !held.contains(",") && !held.contains("*")) {
                // the version the app holds still stands: confirm the tag it sent
                exchange.setProperty("etag", held.trim());
            }
            return NOT_MODIFIED;
        }
        return exchange.getProperty("lastGoodKey") != null ? STALE : ANSWER;
    }

    public ErrorAnswer render(Exchange exchange) {
        FailureKind kind = exchange.getProperty("failureKind", FailureKind.INTERNAL, FailureKind.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean logout = logout(exchange, kind);
        boolean refresh = exchange.getProperty("refresh", false, Boolean.class);
        // on re-provisioning, transient trouble is always "try again later", whatever its cause
        FailureKind answered = refresh && TRANSIENT.contains(kind) ? FailureKind.BACKEND_UNAVAILABLE : kind;
        int status = logout ? exchange.getProperty("logoutStatusCode", 410, Integer.class) : answered.status();

        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
        message.setHeader("X-Request-Id", exchange.getProperty("requestId", String.class));
        if (status == 503) {
            message.setHeader("Retry-After", String.valueOf(properties.getRetryAfter().toSeconds()));
        }
        if (kind == FailureKind.OPERATOR_UNAUTHORIZED) {
            message.setHeader("WWW-Authenticate", "Basic realm=\"provisioning explain\"");
        }
        if (logout) {
            LOG.info("logging the app out: {} status={} tenant={} user={}", kind.code(), status,
                    exchange.getProperty("tenant"), exchange.getProperty("userId"));
        }
        String key = logout ? (kind == FailureKind.NO_DEVICE ? "logout.device-removed" : "logout.access-gone")
                : answered.messageKey();
        Locale locale = exchange.getProperty("locale", Locale.ENGLISH, Locale.class);
        Object[] args = {
            exchange.getProperty("deviceType", "", String.class),
            deviceName(exchange, caught),
            exchange.getProperty("platform", "", String.class)};
        // the error path must not fail itself: a missing text falls back to the generic one
        String generic = messages.getMessage(FailureKind.INTERNAL.messageKey(), null, "Internal error", locale);
        return new ErrorAnswer(messages.getMessage(key, args, generic, locale));
    }

    /** Only on re-provisioning, and only when access is certainly gone. */
    static boolean logout(Exchange exchange, FailureKind kind) {
        if (!exchange.getProperty("refresh", false, Boolean.class)) {
            return false;
        }
        return kind == FailureKind.WRONG_CREDENTIALS || kind == FailureKind.USER_GONE
                || (kind == FailureKind.NO_DEVICE && exchange.getProperty("logoutWhenDeviceRemoved", false, Boolean.class));
    }

    private static String deviceName(Exchange exchange, Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure failure && failure.deviceName() != null) {
                return failure.deviceName();
            }
        }
        return exchange.getProperty(WalkAggregationStrategy.PREFIX + "device-name", "", String.class);
    }

    public static FailureKind classify(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure failure) {
                return failure.kind();
            }
        }
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                // timeouts, refused or reset connections, unknown hosts: XSI or the DMS cannot be reached
                return FailureKind.BACKEND_UNAVAILABLE;
            }
        }
        return FailureKind.INTERNAL;
    }

    private static void log(Exchange exchange, FailureKind kind, Throwable caught) {
        String who = "tenant=" + exchange.getProperty("tenant", "-", String.class)
                + " user=" + exchange.getProperty("userId", "-", String.class)
                + " platform=" + exchange.getProperty("platform", "-", String.class)
                + (exchange.getProperty("refresh", false, Boolean.class) ? " refresh" : "");
        if (kind == FailureKind.INTERNAL) {
            LOG.error("provisioning failed: {} status={} {}", kind.code(), kind.status(), who, caught);
        } else if (kind.status() >= 500 || kind.status() == 409) {
            LOG.warn("provisioning failed: {} status={} {} ({})", kind.code(), kind.status(), who, detail(caught));
        } else {
            LOG.info("provisioning refused: {} status={} {}", kind.code(), kind.status(), who);
        }
    }

    /** Our own failures carry a crafted detail; for I/O errors only the exception type is safe to log. */
    private static String detail(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure) {
                return cause.getMessage();
            }
        }
        return caught == null ? "" : caught.getClass().getSimpleName();
    }
}
