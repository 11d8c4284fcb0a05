package org.provproxy.request;

import java.time.Duration;

/**
 * When a request must be answered by: its arrival plus {@code provisioning.request-deadline}, as
 * {@link System#nanoTime()} (monotonic, unaffected by clock changes). Every backend call of the request ends by it.
 */
public record Deadline(long nanoTime) {

    /** The deadline {@code budget} after {@code startNanoTime}. */
    public static Deadline after(long startNanoTime, Duration budget) {
        return new Deadline(startNanoTime + budget.toNanos());
    }

    /** What is left of it, in nanoseconds; zero or less once it passed. */
    public long remainingNanos() {
        return nanoTime - System.nanoTime();
    }

    public boolean passed() {
        return remainingNanos() <= 0;
    }
}
