package org.provproxy.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.provproxy.failure.Failure;
import org.provproxy.request.SignIn;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What one request did, for its metrics and its log line: which endpoint, how long, and each XSI or DMS call it
 * made or reused. Made as the request arrives (routes/config/observers.yaml: {@link RequestObservations#start}),
 * held as variable {@code observation}; the walk's parallel branches share it (their exchanges hold the same
 * object), so calls are collected thread-safely. Finished once the answer is sent ({@link RequestObservations#finish}).
 */
public final class RequestObservation {

    /** What the app got, as the metric label {@code outcome} and the log field of that name. */
    public enum Outcome {
        ANSWERED("answered"), NOT_MODIFIED("not-modified"), STALE("stale"), LOGOUT("logout"), ERROR("error");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * The outcome of an answer with {@code status}, given the failure the request had (null: none) and whether
         * it served a kept answer while the backend failed.
         */
        static Outcome of(int status, Failure failure, boolean stale) {
            if (failure != null && failure.logout()) {
                return LOGOUT;
            }
            if (status == 304) {
                return NOT_MODIFIED;
            }
            if (status >= 400) {
                return ERROR;
            }
            return stale || (failure != null && failure.outcome() == Failure.Outcome.STALE) ? STALE : ANSWERED;
        }
    }

    /** The tenant label of a request that resolved none (no sign-in read, or no tenant for its Cloud ID). */
    public static final String NO_TENANT = "unknown";

    private final String endpoint;
    private final long startNanos;
    private final Queue<BackendCallRecord> calls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean stale;

    RequestObservation(String endpoint, long startNanos) {
        this.endpoint = endpoint;
        this.startNanos = startNanos;
    }

    /** The endpoint: the id of the route that took the request (provisioning-account, services-contacts, ...). */
    public String endpoint() {
        return endpoint;
    }

    long startNanos() {
        return startNanos;
    }

    /** Milliseconds since the request arrived. */
    public long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** True once: the request is counted when it is finished the first time only. */
    boolean finish() {
        return finished.compareAndSet(false, true);
    }

    /**
     * The answer is a kept one, served while the backend fails, without a failure of the request's own (the
     * contacts of a directory whose walk failed).
     */
    public void servedStale() {
        stale = true;
    }

    Outcome outcome(int status, Failure failure) {
        return Outcome.of(status, failure, stale);
    }

    void backendCall(BackendCallRecord call) {
        calls.add(call);
    }

    /** The XSI and DMS calls so far, in the order they completed. */
    public List<BackendCallRecord> backendCalls() {
        return new ArrayList<>(calls);
    }

    /** How many of them were answered from the cache (or by another request's call in flight). */
    public int cacheHits() {
        int hits = 0;
        for (BackendCallRecord call : calls) {
            if (call.cached()) {
                hits++;
            }
        }
        return hits;
    }

    /** The tenant label: the sign-in's configured tenant, else {@link #NO_TENANT}; never a name from the request. */
    public static String tenant(SignIn signIn, Failure failure) {
        if (signIn == null && failure != null) {
            signIn = failure.signIn();
        }
        return signIn != null ? signIn.tenant().key() : NO_TENANT;
    }

    /**
     * Adds the request's fields to its one log line: tenant, endpoint, status, outcome, durationMs, backendCalls
     * (backend, resource, status, ms, cached each) and cacheHits. The request id is the MDC's {@code requestId}.
     * Spring Boot's structured formats (ecs, logstash) write them as JSON members; the text pattern prints none.
     * Unchanged when the request is not observed (offline replay, validate).
     */
    public static LoggingEventBuilder fields(LoggingEventBuilder line, RequestObservation observation, SignIn signIn,
                                             int status, Failure failure) {
        if (observation == null) {
            return line;
        }
        List<Object> calls = new ArrayList<>();
        int hits = 0;
        for (BackendCallRecord call : observation.calls) {
            calls.add(call.field());
            hits += call.cached() ? 1 : 0;
        }
        return line.addKeyValue("tenant", tenant(signIn, failure))
                .addKeyValue("endpoint", observation.endpoint)
                .addKeyValue("status", status)
                .addKeyValue("outcome", observation.outcome(status, failure).label())
                .addKeyValue("durationMs", observation.millis())
                .addKeyValue("backendCalls", calls)
                .addKeyValue("cacheHits", hits);
    }
}
