package org.provproxy.backend;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.apache.camel.support.service.ServiceHelper;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.observe.RequestObservations;
import org.provproxy.request.Caller;
import org.provproxy.sharing.SharedCache;
import org.provproxy.sharing.SharedRegion.Found;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reuses XSI and DMS answers for a short time (the call's TTL: the tenant's {@code cache-ttl}, else
 * {@code provisioning.cache.ttl}) so bursts (app start storms, several devices of one user) reach the backend
 * once. Single flight: while one request fetches a document, identical requests attach to that answer instead of
 * calling too. Only usable answers are kept: a document that parsed and is the one the call expects (checked here,
 * by the request that fetched it, before the entry completes, so no other request ever finds an unusable one
 * kept), or a 403 that means "service not assigned". Failures and unusable answers are shared with the requests
 * that waited for them, then forgotten. Keys hold a credential HMAC, never a password.
 * <p>
 * With {@code provisioning.shared-cache} on, this cache stands in front of the one shared by the replicas
 * ({@link SharedAnswers}): a miss here asks the cluster, and a miss there is fetched by one replica for all.
 * <p>
 * Nothing here blocks: the backend's route ({@code direct:xsi-call}, {@code direct:dms-call}) is called through
 * its endpoint's {@link AsyncProducer}, and {@link #fetch} answers a future, which the route's bean step waits for
 * without holding a thread. Continuations run on {@link BackendWorkers} threads.
 */
@Component("backendCache")
public class BackendCache implements DisposableBean {

    /** The variable holding the call being made (routes/backend, BackendCalls). */
    private static final String BACKEND_CALL = "backendCall";
    /** The variable the answer is left in (routes/backend: backend-check, click-to-dial). */
    private static final String BACKEND_ANSWER = "backendAnswer";

    private final AsyncCache<String, Kept> cache;
    /** Hits (kept, or in flight for another request) and misses, for the cache's metrics (observe/CacheMeters). */
    private final StatsCounter lookups = new ConcurrentStatsCounter();
    private final CamelContext camel;
    private final Map<BackendCall.Backend, AsyncProducer> producers = new ConcurrentHashMap<>();
    private final XmlDocuments xml;
    private final BackendWorkers workers;
    private final long callTimeoutNanos;
    private final long maxAnswerBytes;
    /** The answers shared with the other replicas, or null: this replica caches alone. */
    private final SharedAnswers sharedAnswers;

    public BackendCache(ProvisioningProperties properties, CamelContext camel, XmlDocuments xml,
                        BackendWorkers workers, ObjectProvider<SharedCache> sharedCache) {
        this.camel = camel;
        this.xml = xml;
        this.workers = workers;
        this.callTimeoutNanos = properties.getBackendTimeout().toNanos();
        this.maxAnswerBytes = properties.getBackendMaxAnswerSize().toBytes();
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<String, Kept>(Kept::ttl))
                // a request joins by a put-if-absent, which Caffeine counts as no lookup: counted by hand below
                .recordStats(() -> lookups)
                .buildAsync();
        SharedCache shared = sharedCache.getIfAvailable();
        this.sharedAnswers = shared == null ? null : new SharedAnswers(shared);
    }

    @Override
    public void destroy() {
        producers.values().forEach(ServiceHelper::stopAndShutdownService);
    }

    /**
     * The backend's answer to {@code call}, also left in variable {@code backendAnswer}: from the cache, from a
     * request fetching it right now, or from the backend's route. Completes once the answer is there (or fails
     * with the failure it is); never blocks.
     */
    public CompletableFuture<BackendAnswer> fetch(Exchange exchange, @Variable("backendCall") BackendCall call) {
        long start = System.nanoTime();
        CompletableFuture<BackendAnswer> answer;
        try {
            answer = answer(exchange, call, start);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // completed with the failure itself, not wrapped: the route's error handling reads its type
        CompletableFuture<BackendAnswer> result = new CompletableFuture<>();
        answer.whenComplete((value, failure) -> {
            RequestObservations.backendCall(exchange, call, value, failure, start);
            if (failure != null) {
                result.completeExceptionally(BackendWorkers.unwrapped(failure));
            } else {
                exchange.setVariable(BACKEND_ANSWER, value);
                result.complete(value);
            }
        });
        return result;
    }

    private CompletableFuture<BackendAnswer> answer(Exchange exchange, BackendCall call, long start) {
        Duration ttl = call.ttl();
        if (call.cacheKey() == null || ttl.isZero() || ttl.isNegative()) {
            return call(exchange, call).thenApply(answer -> checked(answer, call).timed(millisSince(start), false));
        }
        CompletableFuture<Kept> mine = new CompletableFuture<>();
        CompletableFuture<Kept> shared = cache.asMap().putIfAbsent(call.cacheKey(), mine);
        if (shared != null) {
            lookups.recordHits(1);
            return attach(exchange, shared, call).thenApply(kept -> kept.answer().timed(millisSince(start), true));
        }
        lookups.recordMisses(1);
        CompletableFuture<Found<BackendAnswer>> fetched;
        try {
            fetched = sharedAnswers == null
                    ? call(exchange, call).thenApply(raw -> new Found<>(checked(raw, call), ttl, false))
                    : fromReplicas(exchange, call);
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        return fetched.handle((found, failure) -> {
            if (failure != null) {
                // forgotten first, then handed to the requests that waited as a value: a future completed
                // exceptionally makes Caffeine log a stack trace per failed call, which a failing backend multiplies
                Throwable cause = BackendWorkers.unwrapped(failure);
                cache.asMap().remove(call.cacheKey(), mine);
                mine.complete(new Kept(null, ttl, cause instanceof Exception e ? e : new RuntimeException(cause)));
                throw sneaky(cause);
            }
            BackendAnswer answer = found.value();
            // forgotten before it completes: a request arriving now calls anew rather than finding it kept
            if (!answer.reusable(call)) {
                cache.asMap().remove(call.cacheKey(), mine);
            }
            // an answer another replica fetched lives here only as long as it has left there
            mine.complete(new Kept(answer, found.remaining(), null));
            return answer.timed(millisSince(start), found.kept());
        });
    }

    /**
     * With the cache shared by replicas, on a miss here: the answer the cluster keeps, or this replica's call
     * (single flight across replicas: one replica calls while the others wait for its answer, polling the cluster
     * on {@link BackendWorkers} threads, at most until this request's deadline).
     */
    private CompletableFuture<Found<BackendAnswer>> fromReplicas(Exchange exchange, BackendCall call) {
        Caller caller = exchange.getVariable("caller", Caller.class);
        long deadline = caller != null && caller.deadline() != null ? caller.deadline().nanoTime()
                : System.nanoTime() + callTimeoutNanos * 3;
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Executor onWorkers = task -> workers.execute(mdc, task);
        return sharedAnswers.answer(call, Duration.ofNanos(callTimeoutNanos), deadline, onWorkers,
                () -> call(exchange, call).thenApply(raw -> checked(raw, call)), kept -> checked(kept, call))
                .handle((found, failure) -> {
                    if (failure == null) {
                        return found;
                    }
                    Throwable cause = BackendWorkers.unwrapped(failure);
                    if (cause instanceof TimeoutException) {
                        throw new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE, "the request's deadline passed "
                                + "while waiting for another replica's call to " + where(call), call.deviceName());
                    }
                    throw sneaky(cause);
                });
    }

    /** The answers kept, for the cache's metrics (observe/CacheMeters). */
    public AsyncCache<?, ?> cache() {
        return cache;
    }

    /** The keys held now; for tests that check no password is among them. */
    public Set<String> keys() {
        return cache.asMap().keySet();
    }

    /**
     * Forgets the answers kept under these keys (a call in flight under one is no longer shared with later
     * requests): after a change made through XSI (a voice message marked or deleted), the user's next read must
     * see it, not the document kept before. Never waits for a call in flight.
     */
    public void forget(String... keys) {
        for (String key : keys) {
            cache.asMap().remove(key);
            if (sharedAnswers != null) {
                // every replica's copy too (not waited for: the cluster has it forgotten a moment later)
                sharedAnswers.forget(key);
            }
        }
    }

    /** Forgets every answer (tests; an operator would restart or wait for the TTL). */
    public void clear() {
        cache.synchronous().invalidateAll();
    }

    /**
     * Sends the exchange to the backend's route without waiting: the route's client answers a future, and the
     * route completes (on a {@link BackendWorkers} thread) when it does.
     */
    private CompletableFuture<BackendAnswer> call(Exchange exchange, BackendCall call) {
        // the backend's route and client end the call by its deadline: its backend-timeout, or the request's
        exchange.setVariable(BACKEND_CALL, call.until(deadline(exchange, call)));
        CompletableFuture<BackendAnswer> answered = new CompletableFuture<>();
        producer(call.backend()).process(exchange, doneSync -> {
            Exception failure = exchange.getException();
            if (failure != null) {
                exchange.setException(null);
                answered.completeExceptionally(classified(failure, call));
                return;
            }
            BackendAnswer answer = exchange.getMessage().getBody(BackendAnswer.class);
            if (answer == null) {
                answered.completeExceptionally(new IllegalStateException(call.backend().callUri()
                        + " left no answer"));
            } else {
                answered.complete(answer);
            }
        });
        return answered;
    }

    private AsyncProducer producer(BackendCall.Backend backend) {
        return producers.computeIfAbsent(backend, which -> {
            try {
                AsyncProducer producer = camel.getEndpoint(which.callUri()).createAsyncProducer();
                ServiceHelper.startService(producer);
                return producer;
            } catch (Exception e) {
                throw new IllegalStateException("no producer for " + which.callUri(), e);
            }
        });
    }

    /** The failures the backend clients know better than "unavailable", classified with the call's name. */
    private Exception classified(Throwable failure, BackendCall call) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BackendHttp.AnswerTooLarge) {
                return new ProvisioningFailure(FailureKind.BACKEND_TOO_LARGE, where(call) + " answered more than "
                        + maxAnswerBytes + " bytes", call.deviceName());
            }
            if (cause instanceof BackendHttp.DeadlinePassed passed) {
                return new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE, where(call) + ": "
                        + passed.getMessage() + " (deadline of the call or of the request)", call.deviceName());
            }
        }
        Throwable unwrapped = BackendWorkers.unwrapped(failure);
        return unwrapped instanceof Exception e ? e : new RuntimeException(unwrapped);
    }

    /**
     * When the call must have ended: {@code provisioning.backend-timeout} from now, or the request's deadline if
     * that comes first. A request past its deadline makes no more calls.
     */
    private long deadline(Exchange exchange, BackendCall call) {
        long now = System.nanoTime();
        long deadline = now + callTimeoutNanos;
        Caller caller = exchange.getVariable("caller", Caller.class);
        if (caller != null && caller.deadline() != null) {
            long requestDeadline = caller.deadline().nanoTime();
            if (requestDeadline - now <= 0) {
                throw new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE, "the request's deadline passed before "
                        + where(call) + " was asked", call.deviceName());
            }
            if (requestDeadline - deadline < 0) {
                deadline = requestDeadline;
            }
        }
        return deadline;
    }

    private static String where(BackendCall call) {
        return call.backend() == BackendCall.Backend.DMS ? "DMS (device file of '" + call.deviceName() + "')"
                : "XSI " + call.resource();
    }

    /**
     * A success is parsed and checked against the document the call expects, before anyone else may see it; an
     * answer that fails stays without document (backend-check raises its failure).
     */
    private BackendAnswer checked(BackendAnswer answer, BackendCall call) {
        if (!answer.success() || call.expected() == null) {
            return answer;
        }
        try {
            return answer.withDocument(xml.document(answer, call));
        } catch (ProvisioningFailure unusable) {
            return answer;
        }
    }

    /**
     * The answer of the request fetching it, attached to (no thread waits) at most until this request's own
     * deadline; continued on a {@link BackendWorkers} thread of its own, so that waiters do not run one after the
     * other on the thread of the request that fetched.
     */
    private CompletableFuture<Kept> attach(Exchange exchange, CompletableFuture<Kept> shared, BackendCall call) {
        Caller caller = exchange.getVariable("caller", Caller.class);
        long waitNanos = caller != null && caller.deadline() != null ? caller.deadline().remainingNanos()
                : callTimeoutNanos * 3;
        CompletableFuture<Kept> waiting = shared.copy().orTimeout(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
        return workers.handOver(waiting, MDC.getCopyOfContextMap()).handle((kept, failure) -> {
            if (failure != null) {
                Throwable cause = BackendWorkers.unwrapped(failure);
                if (cause instanceof TimeoutException) {
                    throw new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE, "the request's deadline passed "
                            + "while waiting for another request's call to " + where(call), call.deviceName());
                }
                throw sneaky(cause);
            }
            if (kept.failure() != null) {
                throw sneaky(kept.failure());
            }
            return kept;
        });
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Rethrows {@code failure} as it is (a checked exception too) from a completion stage. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    /** An answer kept for its call's TTL, or the failure of the call the waiting requests shared (never kept). */
    record Kept(BackendAnswer answer, Duration ttl, Exception failure) {
    }
}
