package org.provproxy.failure;

import java.time.Duration;
import java.util.Map;

/**
 * A classified failure. The message is for operators' logs (never a secret); the subscriber gets the localized
 * text of the {@link FailureKind}, which may name the device concerned.
 */
public class ProvisioningFailure extends RuntimeException {

    private final FailureKind kind;
    private final String deviceName;
    private final transient Map<String, String> answerHeaders;
    private final Duration retryAfter;

    public ProvisioningFailure(FailureKind kind, String detail) {
        this(kind, detail, (String) null);
    }

    public ProvisioningFailure(FailureKind kind, String detail, String deviceName) {
        this(kind, detail, deviceName, Map.of(), null);
    }

    /** A failure whose answer carries {@code answerHeaders} too (Allow of a 405, Retry-After of a 429). */
    public ProvisioningFailure(FailureKind kind, String detail, Map<String, String> answerHeaders) {
        this(kind, detail, null, answerHeaders, null);
    }

    /** @param retryAfter when the backend asked to be asked again (its Retry-After), or null */
    public ProvisioningFailure(FailureKind kind, String detail, String deviceName, Duration retryAfter) {
        this(kind, detail, deviceName, Map.of(), retryAfter);
    }

    private ProvisioningFailure(FailureKind kind, String detail, String deviceName, Map<String, String> answerHeaders,
                                Duration retryAfter) {
        super(kind.code() + ": " + detail, null, false, false);
        this.kind = kind;
        this.deviceName = deviceName;
        this.answerHeaders = Map.copyOf(answerHeaders);
        this.retryAfter = retryAfter;
    }

    /** For {@code throwException} in YAML routes: the message is a kind code such as {@code no-device}. */
    public ProvisioningFailure(String kindCode) {
        this(FailureKind.fromCode(kindCode), "raised by route");
    }

    public FailureKind kind() {
        return kind;
    }

    /** Headers the error answer carries besides the usual ones; none for most failures. */
    public Map<String, String> answerHeaders() {
        return answerHeaders;
    }

    /** The device the failure concerns, when known. */
    public String deviceName() {
        return deviceName;
    }

    /** When the backend asked to be asked again, or null: then provisioning.retry-after applies. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
