package org.provproxy.failure;

import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The one error rendering: {@code <error><message>…</message></error>} in the subscriber's language with the
 * status {@link FailurePolicy} decided, the request id, and Retry-After on 503.
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

    /** Sets the answer's status and headers on {@code message} and returns its body. */
    public ErrorAnswer render(Message message, @Variable("failure") Failure failure, @Variable("caller") Caller caller) {
        SignIn signIn = failure.signIn();
        FailureKind kind = failure.kind();
        int status = failure.status();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
        message.setHeader("X-Request-Id", caller.requestId());
        if (status == 503) {
            message.setHeader("Retry-After", String.valueOf(properties.getRetryAfter().toSeconds()));
        }
        if (kind == FailureKind.OPERATOR_UNAUTHORIZED) {
            message.setHeader("WWW-Authenticate", "Basic realm=\"provisioning explain\"");
        }
        if (failure.logout()) {
            LOG.info("logging the app out: {} status={} tenant={} user={}", kind.code(), status,
                    signIn.tenant().key(), signIn.userId());
        }
        // a transient failure answered as an error says "try again later" (503), whatever its cause
        FailureKind answered = status == 503 && FailurePolicy.TRANSIENT.contains(kind) ? FailureKind.BACKEND_UNAVAILABLE : kind;
        String key = !failure.logout() || kind == FailureKind.TOKEN_EXPIRED ? answered.messageKey()
                : kind == FailureKind.NO_DEVICE ? "logout.device-removed" : "logout.access-gone";
        Locale locale = caller.locale();
        Object[] args = {
            signIn != null ? signIn.device().deviceType() : "",
            failure.deviceName(),
            signIn != null ? signIn.platform() : ""};
        // the error path must not fail itself: a missing text falls back to the generic one
        String generic = messages.getMessage(FailureKind.INTERNAL.messageKey(), null, "Internal error", locale);
        return new ErrorAnswer(messages.getMessage(key, args, generic, locale));
    }
}
