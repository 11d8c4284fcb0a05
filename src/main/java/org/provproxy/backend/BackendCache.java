package org.provproxy.backend;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Variable;
import org.apache.hc.core5.http.HttpHeaders;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.Caller;
import org.springframework.stereotype.Component;

/**
 * Reuses XSI and DMS answers for a short time (the call's TTL: the tenant's {@code cache-ttl}, else
 * {@code provisioning.cache.ttl}) so bursts (app start storms, several devices of one user) reach the backend
 * once. Single flight: while one request fetches a document, identical requests wait for that answer instead of
 * calling too. Only usable answers are kept: a document that parsed and is the one the call expects (checked here,
 * by the request that fetched it, before the entry completes, so no other request ever finds an unusable one
 * kept), or a 403 that means "service not assigned". Failures and unusable answers are shared with the requests
 * that waited for them, then forgotten. Keys hold a credential HMAC, never a password.
 */
@Component("backendCache")
public class BackendCache {

    private final AsyncCache<String, Kept> cache;
    private final ProducerTemplate producer;
    /** The variable holding the call being made (routes/backend, BackendCalls). */
    private static final String BACKEND_CALL = "backendCall";

    private final XmlDocuments xml;
    private final long callTimeoutNanos;
    private final long maxAnswerBytes;

    public BackendCache(ProvisioningProperties properties, ProducerTemplate producer, XmlDocuments xml) {
        this.producer = producer;
        this.xml = xml;
        this.callTimeoutNanos = properties.getBackendTimeout().toNanos();
        this.maxAnswerBytes = properties.getBackendMaxAnswerSize().toBytes();
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<String, Kept>(Kept::ttl))
                .buildAsync();
    }

    /**
     * The backend's answer to {@code call}: from the cache, from a request fetching it right now, or by sending
     * the exchange to the backend's route, which leaves status, Content-Type and body on the message.
     */
    public BackendAnswer fetch(Exchange exchange, @Variable("backendCall") BackendCall call) throws Exception {
        long start = System.nanoTime();
        Duration ttl = call.ttl();
        if (call.cacheKey() == null || ttl.isZero() || ttl.isNegative()) {
            return checked(call(exchange, call), call).timed(millisSince(start), false);
        }
        CompletableFuture<Kept> mine = new CompletableFuture<>();
        CompletableFuture<Kept> shared = cache.asMap().putIfAbsent(call.cacheKey(), mine);
        if (shared != null) {
            return await(exchange, shared, call).answer().timed(millisSince(start), true);
        }
        try {
            BackendAnswer answer = checked(call(exchange, call), call);
            // forgotten before it completes: a request arriving now calls anew rather than finding it kept
            if (!answer.reusable(call)) {
                cache.asMap().remove(call.cacheKey(), mine);
            }
            mine.complete(new Kept(answer, ttl, null));
            return answer.timed(millisSince(start), false);
        } catch (Exception e) {
            // forgotten first, then handed to the requests that waited as a value: a future completed
            // exceptionally makes Caffeine log a stack trace per failed call, which a failing backend multiplies
            cache.asMap().remove(call.cacheKey(), mine);
            mine.complete(new Kept(null, ttl, e));
            throw e;
        }
    }

    /** The keys held now; for tests that check no password is among them. */
    public Set<String> keys() {
        return cache.asMap().keySet();
    }

    /** Forgets every answer (tests; an operator would restart or wait for the TTL). */
    public void clear() {
        cache.synchronous().invalidateAll();
    }

    private BackendAnswer call(Exchange exchange, BackendCall call) throws Exception {
        // the backend's route and client end the call by its deadline: its backend-timeout, or the request's
        exchange.setVariable(BACKEND_CALL, call.until(deadline(exchange, call)));
        producer.send(call.backend().callUri(), exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            throw classified(failure, call);
        }
        Message message = exchange.getMessage();
        return new BackendAnswer(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                message.getHeader(Exchange.CONTENT_TYPE, String.class), message.getBody(byte[].class),
                message.getHeader(HttpHeaders.RETRY_AFTER, String.class), 0, false, null);
    }

    /** The failures the backend clients know better than "unavailable", classified with the call's name. */
    private Exception classified(Exception failure, BackendCall call) {
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
        return failure;
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
            return answer.withDocument(xml.parse(answer, call));
        } catch (ProvisioningFailure unusable) {
            return answer;
        }
    }

    /** The answer of the request fetching it, waited for at most until this request's own deadline. */
    private Kept await(Exchange exchange, CompletableFuture<Kept> shared, BackendCall call) throws Exception {
        Caller caller = exchange.getVariable("caller", Caller.class);
        long waitNanos = caller != null && caller.deadline() != null ? caller.deadline().remainingNanos()
                : callTimeoutNanos * 3;
        try {
            Kept kept = shared.get(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
            if (kept.failure() != null) {
                throw kept.failure();
            }
            return kept;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE, "the request's deadline passed while "
                    + "waiting for another request's call to " + where(call), call.deviceName());
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** An answer kept for its call's TTL. */
    /** An answer kept for its call's TTL, or the failure of the call the waiting requests shared (never kept). */
    record Kept(BackendAnswer answer, Duration ttl, Exception failure) {
    }
}
