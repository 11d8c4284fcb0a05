package org.provproxy.failure;

import java.time.Duration;

import org.provproxy.account.AccountVersion;
import org.provproxy.request.SignIn;

/**
 * What {@link FailurePolicy} decided about a failed request: its kind, what to answer, with which status and
 * whether that logs the app out. Held as variable {@code failure} while the answer is made.
 *
 * @param status     the HTTP status of an error answer
 * @param deviceName the device concerned, for the message; empty when none
 * @param version    what a 304 confirms (outcome NOT_MODIFIED), else null
 * @param signIn     the sign-in the failure concerns, when the request got that far; else null
 * @param retryAfter Retry-After of a 503, when the backend named one; null: provisioning.retry-after
 */
public record Failure(FailureKind kind, Outcome outcome, int status, boolean logout, String deviceName,
                      AccountVersion version, SignIn signIn, Duration retryAfter) {

    /** What the app gets. */
    public enum Outcome {
        /** Its stored answer still stands (it sent a validator): 304. */
        NOT_MODIFIED,
        /** Its last good answer, if one is young enough; else the error. */
        STALE,
        /** {@code <error><message>} with {@link #status()}. */
        ERROR
    }

    /** For the log line of an answer given despite the failure. */
    public String note() {
        return switch (outcome) {
            case NOT_MODIFIED -> " (backend failing: " + kind.code() + ")";
            case STALE -> " (last good account, backend failing: " + kind.code() + ")";
            case ERROR -> "";
        };
    }
}
