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
import org.provproxy.config.ProvisioningProperties;
import org.springframework.stereotype.Component;

/**
 * Reuses XSI and DMS answers for a short time (the call's TTL: the tenant's {@code cache-ttl}, else
 * {@code provisioning.cache.ttl}) so bursts (app start storms, several devices of one user) reach the backend
 * once. Single flight: while one request fetches a document, identical requests wait for that answer instead of
 * calling too. Only usable answers are kept (2xx, and 403 = service not assigned); failures are shared with the
 * requests that waited for them, then forgotten. Keys hold a credential HMAC, never a password.
 */
@Component("backendCache")
public class BackendCache {

    private final AsyncCache<String, Kept> cache;
    private final ProducerTemplate producer;
    private final long waitMillis;

    public BackendCache(ProvisioningProperties properties, ProducerTemplate producer) {
        this.producer = producer;
        this.waitMillis = properties.getBackendTimeout().toMillis() * 3;
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
            return call(exchange, call).timed(millisSince(start), false);
        }
        CompletableFuture<Kept> mine = new CompletableFuture<>();
        CompletableFuture<Kept> shared = cache.asMap().putIfAbsent(call.cacheKey(), mine);
        if (shared != null) {
            return await(shared).answer().timed(millisSince(start), true);
        }
        try {
            BackendAnswer answer = call(exchange, call);
            mine.complete(new Kept(answer, ttl));
            if (!answer.reusable()) {
                cache.asMap().remove(call.cacheKey(), mine);
            }
            return answer.timed(millisSince(start), false);
        } catch (Exception e) {
            mine.completeExceptionally(e);
            cache.asMap().remove(call.cacheKey(), mine);
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
        producer.send(call.backend().callUri(), exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            throw failure;
        }
        Message message = exchange.getMessage();
        return new BackendAnswer(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                message.getHeader(Exchange.CONTENT_TYPE, String.class), message.getBody(byte[].class), 0, false);
    }

    private Kept await(CompletableFuture<Kept> shared) throws Exception {
        try {
            return shared.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new java.net.SocketTimeoutException("waited too long for a shared backend call");
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** An answer kept for its call's TTL. */
    record Kept(BackendAnswer answer, Duration ttl) {
    }
}
