package org.provproxy;

import java.io.IOException;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The one place where a failure becomes an answer: classifies the caught exception (a {@link ProvisioningFailure}
 * keeps its kind; an I/O error talking to XSI or the DMS means the backend is unavailable; anything else is
 * internal), sets the status and headers and returns the localized {@link ErrorAnswer}. The log line carries the
 * operator's detail, never the caught exception's message for unknown errors (it may quote a backend document).
 */
@Component("errorAnswers")
public class ErrorAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

    private final MessageSource messages;
    private final ProvisioningProperties properties;

    public ErrorAnswers(MessageSource messages, ProvisioningProperties properties) {
        this.messages = messages;
        this.properties = properties;
    }

    public ErrorAnswer render(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FailureKind kind = classify(caught);
        log(exchange, kind, caught);

        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, kind.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
        message.setHeader("X-Request-Id", exchange.getProperty("requestId", String.class));
        if (kind.status() == 503) {
            message.setHeader("Retry-After", String.valueOf(properties.getRetryAfter().toSeconds()));
        }
        Locale locale = exchange.getProperty("locale", Locale.ENGLISH, Locale.class);
        Object[] args = {
            exchange.getProperty("deviceType", "", String.class),
            deviceName(exchange, caught),
            exchange.getProperty("platform", "", String.class)};
        return new ErrorAnswer(messages.getMessage(kind.messageKey(), args, locale));
    }

    private static String deviceName(Exchange exchange, Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure failure && failure.deviceName() != null) {
                return failure.deviceName();
            }
        }
        return exchange.getProperty(WalkAggregationStrategy.PREFIX + "device-name", "", String.class);
    }

    static FailureKind classify(Throwable caught) {
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
                + " platform=" + exchange.getProperty("platform", "-", String.class);
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
