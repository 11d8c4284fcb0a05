package org.provproxy.failure;

import java.util.Locale;

/**
 * The closed set of ways a provisioning request can fail. Each failure is classified once, where it is detected;
 * this table alone decides the HTTP status and which message the subscriber reads ({@code error.<code>} in
 * {@code messages/messages*.properties}).
 */
public enum FailureKind {
    BAD_REQUEST(400),
    /** A parameter given twice (or under two of its names), with a control character, or a malformed %-escape. */
    BAD_PARAMETER(400, "malformed-request"),
    /** A parameter value longer than provisioning.max-parameter-size. */
    PARAMETER_TOO_LARGE(413, "request-too-large"),
    /** A user name that is no user id: a path dot-segment ({@code .}, {@code ..}), which would change the XSI path. */
    BAD_USER_NAME(400),
    UNKNOWN_TENANT(400),
    /** /provisioning/explain without the operator credential, or /actuator with a wrong one. */
    OPERATOR_UNAUTHORIZED(401),
    /** A dial action without a dialable number. */
    BAD_NUMBER(400),
    /** Re-provisioning without a token. */
    MISSING_TOKEN(400),
    /** A token that does not open: never the logout status, the app may simply hold an old key's token. */
    BAD_TOKEN(401),
    /** A token past provisioning.token.max-age: re-provisioning answers the logout status, the others 401. */
    TOKEN_EXPIRED(401),
    WRONG_CREDENTIALS(403),
    /**
     * provisioning.failed-sign-ins: too many wrong credentials for this user name or from this address; refused
     * before XSI is called, with Retry-After.
     */
    TOO_MANY_FAILED_SIGN_INS(429),
    /** XSI 400 / 100003. Answered exactly like wrong credentials, so user names cannot be probed. */
    USER_GONE(403, "wrong-credentials"),
    NO_DEVICE(409),
    DEVICE_NO_CREDENTIALS(409),
    DEVICE_NO_TYPE_URL(409),
    /** The chosen device's deviceTypeUrl is no http(s) URL: nothing is fetched. */
    DEVICE_TYPE_URL_INVALID(409),
    /** The chosen device's deviceTypeUrl names a host outside the tenant's dms-hosts: its credentials stay here. */
    DMS_HOST_NOT_ALLOWED(409),
    DEVICE_FILE_NO_SIP_CREDENTIALS(409),
    DMS_REJECTED(502),
    BACKEND_REJECTED(502),
    BACKEND_MALFORMED(502),
    /** An XSI or DMS answer larger than provisioning.backend-max-answer-size (after decompression). */
    BACKEND_TOO_LARGE(502),
    BACKEND_UNAVAILABLE(503),
    INTERNAL(500),
    /** The call history's since that is no ISO-8601 instant with an offset: the message names the parameter. */
    BAD_SINCE(400),
    /**
     * XSI refuses to delete a voice message (403: the platform does not allow deletion). 409, never 403: a tenant's
     * logout status may be 403, and this must not log the app out.
     */
    VOICEMAIL_DELETE_FORBIDDEN(409),
    /** The voice message to mark or delete is no longer there (XSI 404): deleted meanwhile, e.g. on a desk phone. */
    VOICEMAIL_MESSAGE_GONE(404),
    /** A voice message id this proxy never hands out (in the path of a mark or delete): XSI is not asked. */
    VOICEMAIL_BAD_ID(400),
    /**
     * XSI refuses a voice message's download because another download of the same subscriber is in progress
     * (spec 3.4.6.1.3): transient, 503 with Retry-After; never a logout.
     */
    VOICEMAIL_AUDIO_BUSY(503),
    /** A call feature's field given a value it does not take (or no field of the feature): 400 naming the field. */
    BAD_FEATURE_VALUE(400),
    /** A change of a call feature that names no field of it. */
    FEATURE_NOTHING_TO_CHANGE(400),
    /** {@code /services/features/<name>} with a name that is no call feature this proxy serves. */
    UNKNOWN_FEATURE(404),
    /** The call feature is not assigned to the user (XSI 403): nothing to change; never a logout. */
    FEATURE_NOT_ASSIGNED(409),
    /**
     * XSI refused a change of a call feature (a 4xx other than 401 and 403, usually with ErrorInfo: a forward
     * number it does not take): the user's input, not the platform's trouble, so 409 and not 502.
     */
    FEATURE_CHANGE_REFUSED(409),
    /** XSI says the BroadWorks Anywhere location to add (or the new number of one) is one the user has already. */
    ANYWHERE_LOCATION_EXISTS(409),
    /** The BroadWorks Anywhere location to change or remove is not there (XSI 404): removed meanwhile. */
    ANYWHERE_LOCATION_GONE(404),
    /**
     * BroadWorks Anywhere is not assigned to the user (XSI 403, 110040): 409 as the refused change it is; never 403
     * (a tenant's logout status may be 403) nor 404 (the app's address is right).
     */
    ANYWHERE_NOT_ASSIGNED(409),
    /** Refused before any route (web server, Spring): a path the proxy does not serve. */
    NOT_FOUND(404),
    /** /provisioning/portal-settings without a tenant, or for a Cloud ID no tenant of this deployment has. */
    TENANT_NOT_CONFIGURED(404),
    /** /provisioning/portal-settings while provisioning.public-url is not set: the URLs would be guesses. */
    PUBLIC_URL_NOT_SET(409),
    /**
     * A method the endpoint does not take (the answer says which it does, Allow): refused by Spring before any
     * route, or (HEAD, which Spring maps to GET) by the endpoint before it reads anything.
     */
    METHOD_NOT_ALLOWED(405),
    /** Refused before any route: a request body that is not a web form. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Refused before any route: a request body larger than provisioning.max-request-size. */
    REQUEST_TOO_LARGE(413),
    /** Refused before any route: a request the web server cannot read (request line, headers). */
    MALFORMED_REQUEST(400);

    private final int status;
    private final String messageCode;

    FailureKind(int status) {
        this(status, null);
    }

    FailureKind(int status, String messageCode) {
        this.status = status;
        this.messageCode = messageCode;
    }

    public int status() {
        return status;
    }

    /** Kebab-case name used in routes, stylesheets and logs, e.g. {@code no-device}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String messageKey() {
        return "error." + (messageCode != null ? messageCode : code());
    }

    /**
     * The kind of an answer the web server or Spring gave before any route, by its status: the kinds above, 503 as
     * "try again later", any other 5xx internal, any other 4xx a request that could not be read.
     */
    public static FailureKind ofStatus(int status) {
        return switch (status) {
            case 401 -> OPERATOR_UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> BACKEND_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : MALFORMED_REQUEST;
        };
    }

    public static FailureKind fromCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
