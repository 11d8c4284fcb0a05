package org.provproxy.failure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.observe.RequestObservation;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The one error rendering: {@code <error><message>…</message></error>} in the subscriber's language with the
 * status {@link FailurePolicy} decided, the request id, and Retry-After on 503. {@link #render} answers a failed
 * route; {@link #unrouted} the same for what never reached one (refused by the web server or by Spring).
 */
@Component("errorAnswers")
public class ErrorAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    /** Written as the routes' jacksonXml marshal writes it: no declaration, {@code <error><message>}. */
    private static final XmlMapper XML = new XmlMapper();

    private final MessageSource messages;
    private final ProvisioningProperties properties;

    public ErrorAnswers(MessageSource messages, ProvisioningProperties properties) {
        this.messages = messages;
        this.properties = properties;
    }

    /**
     * Sets the answer's status and headers on {@code message} and returns its body; the headers a failure carries
     * for its answer ({@link ProvisioningFailure#answerHeaders}) are set too.
     */
    public ErrorAnswer render(Message message, @Variable("failure") Failure failure, @Variable("caller") Caller caller,
                              @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught,
                              @Variable("observation") RequestObservation observation) {
        SignIn signIn = failure.signIn();
        FailureKind kind = failure.kind();
        int status = failure.status();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        headers(status, kind, caller.requestId(), failure.retryAfter()).forEach(message::setHeader);
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure provisioning) {
                provisioning.answerHeaders().forEach(message::setHeader);
                break;
            }
        }
        if (failure.logout()) {
            LOG.info("logging the app out: {} status={} tenant={} user={}", kind.code(), status,
                    signIn.tenant().key(), signIn.userId());
        }
        if (failure.outcome() == Failure.Outcome.STALE && !FailurePolicy.keepsNoLastGood(failure)) {
            // the request's line: FailurePolicy's could not know that no last good answer was there to serve
            RequestObservation.fields(LOG.atInfo(), observation, signIn, status, failure).log(
                    "no last good answer to serve: {} status={} tenant={} user={}", kind.code(), status,
                    signIn.tenant().key(), signIn.userId());
        }
        // a transient failure answered as an error says "try again later" (503), whatever its cause
        FailureKind answered = status == 503 && FailurePolicy.TRANSIENT.contains(kind) ? FailureKind.BACKEND_UNAVAILABLE : kind;
        String key = !failure.logout() || kind == FailureKind.TOKEN_EXPIRED ? answered.messageKey()
                : kind == FailureKind.NO_DEVICE ? "logout.device-removed" : "logout.access-gone";
        // {1}: the name the failure concerns (a device, a call feature or one of its fields)
        Object[] args = new Object[] {
            signIn != null ? signIn.device().deviceType() : "",
            failure.deviceName(),
            signIn != null ? signIn.platform() : ""};
        return new ErrorAnswer(text(key, args, caller.locale()));
    }

    /**
     * The error answer to a request that reached no route, by the status the web server or Spring gave it
     * ({@link FailureKind#ofStatus}): the same body and headers as {@link #render}.
     */
    public Unrouted unrouted(int status, Locale locale, String requestId) {
        FailureKind kind = FailureKind.ofStatus(status);
        ErrorAnswer answer = new ErrorAnswer(text(kind.messageKey(), new Object[] {"", "", ""}, locale));
        try {
            return new Unrouted(status, kind, headers(status, kind, requestId, null), XML.writeValueAsBytes(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error answer", e);
        }
    }

    /** An error answer made outside a route: status, headers (Content-Type included) and body. */
    public record Unrouted(int status, FailureKind kind, Map<String, String> headers, byte[] body) {
    }

    /** @param retryAfter the backend's own Retry-After (bounded already), else null for provisioning.retry-after */
    private Map<String, String> headers(int status, FailureKind kind, String requestId, Duration retryAfter) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
        headers.put("X-Request-Id", requestId);
        if (status == 503) {
            headers.put("Retry-After", String.valueOf((retryAfter != null ? retryAfter : properties.getRetryAfter())
                    .toSeconds()));
        }
        if (kind == FailureKind.OPERATOR_UNAUTHORIZED) {
            headers.put("WWW-Authenticate", "Basic realm=\"provisioning operator\"");
        }
        return headers;
    }

    private String text(String key, Object[] args, Locale locale) {
        // the error path must not fail itself: a missing text falls back to the generic one
        String generic = messages.getMessage(FailureKind.INTERNAL.messageKey(), null, "Internal error", locale);
        return messages.getMessage(key, args, generic, locale);
    }
}
