package org.provproxy.backend;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.Variable;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.shaping.XmlTrees;
import org.springframework.stereotype.Component;

/**
 * Classifies a non-2xx answer of XSI or the DMS into a {@link FailureKind} and throws it. The routes call this
 * only when the answer is not a success they can use. Overload (5xx, 429) is transient, with the platform's own
 * Retry-After when it sends one.
 */
@Component("backendFailures")
public class BackendFailures {

    /** XSI error code for "user not found": an unknown user is 400, not 404. */
    static final String USER_NOT_FOUND = "100003";
    /** Statuses whose Retry-After means "ask again then" (RFC 9110, RFC 6585). */
    private static final Set<Integer> RETRY_AFTER_STATUSES = Set.of(429, 503);
    private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    /** A platform's Retry-After passed on to apps is bounded: a broken value must not send them away for days. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final XmlDocuments xmlDocuments;

    public BackendFailures(XmlDocuments xmlDocuments) {
        this.xmlDocuments = xmlDocuments;
    }

    /** The answer of {@code call} cannot be used: throws its classified failure. */
    public void raise(@Variable("backendCall") BackendCall call, @Variable("backendAnswer") BackendAnswer answer) {
        if (call.backend() == BackendCall.Backend.DMS) {
            dms(answer.status(), call.deviceName(), answer.retryAfter());
        }
        if (call.user() != null) {
            // asked with the tenant's own credentials (directory administrator): whatever XSI says of them is the
            // operator's to fix, never a sign that the subscriber's access is gone
            throw common(answer.status(), "XSI " + call.resource() + " answered " + answer.status()
                    + " to the tenant's directory credentials", null, answer.retryAfter());
        }
        xsi(answer.status(), answer.body(), answer.contentType(), call.resource(), answer.retryAfter());
    }

    public void xsi(int status, byte[] body, String contentType, String resource) {
        xsi(status, body, contentType, resource, null);
    }

    public void xsi(int status, byte[] body, String contentType, String resource, String retryAfter) {
        String where = "XSI " + resource + " answered " + status;
        if (status == 401) {
            throw new ProvisioningFailure(FailureKind.WRONG_CREDENTIALS, where);
        }
        if (status == 400 && USER_NOT_FOUND.equals(errorCode(body, contentType))) {
            throw new ProvisioningFailure(FailureKind.USER_GONE, where + " (user not found)");
        }
        throw common(status, where, null, retryAfter);
    }

    public void dms(int status, String deviceName) {
        dms(status, deviceName, null);
    }

    public void dms(int status, String deviceName, String retryAfter) {
        String where = "DMS answered " + status + " for the device file of '" + deviceName + "'";
        if (status == 401 || status == 403) {
            throw new ProvisioningFailure(FailureKind.DMS_REJECTED, where, deviceName);
        }
        throw common(status, where, deviceName, retryAfter);
    }

    /**
     * 5xx and 429 ("too many requests") are the platform's trouble: try again later, when it says so (its
     * Retry-After, bounded). Any other answer is a refusal.
     */
    private static ProvisioningFailure common(int status, String where, String deviceName, String retryAfter) {
        if (status >= 500 || status == 429) {
            Duration after = RETRY_AFTER_STATUSES.contains(status) ? retryAfter(retryAfter, Instant.now()) : null;
            return new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE,
                    where + (after != null ? " (Retry-After " + after.toSeconds() + "s)" : ""), deviceName, after);
        }
        return new ProvisioningFailure(FailureKind.BACKEND_REJECTED, where, deviceName);
    }

    /**
     * A Retry-After value (seconds, or an HTTP date) as a wait of 1 s to {@link #MAX_RETRY_AFTER}; null when there
     * is none or it cannot be read.
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration after;
        try {
            after = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                after = Duration.between(now, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
        if (after.compareTo(MIN_RETRY_AFTER) < 0) {
            return MIN_RETRY_AFTER;
        }
        return after.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : after;
    }

    /** errorCode of an XSI ErrorInfo body; empty when there is none (low-level errors often have no body). */
    private String errorCode(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            XdmNode code = XmlTrees.firstDescendant(xmlDocuments.parse(body, contentType, "XSI error"), "errorCode");
            return code != null ? code.getStringValue().trim() : "";
        } catch (ProvisioningFailure unreadable) {
            return "";
        }
    }
}
