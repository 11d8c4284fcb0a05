package org.provproxy.backend;

import org.provproxy.config.ProvisioningProperties;

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
import org.springframework.stereotype.Component;

/**
 * Reuses XSI and DMS answers for a short time (property {@code cacheTtl}: the tenant's {@code cache-ttl}, else
 * {@code provisioning.cache.ttl}) so bursts (app start storms, several devices of one user) reach the backend
 * once. Single flight: while one request fetches a document, identical requests wait for that answer instead of
 * calling too. Only usable answers are kept (2xx, and 403 = service not assigned); failures are shared with the
 * requests that waited for them, then forgotten. Keys ({@code backendKey}) hold a credential HMAC, never a password.
 */
@Component("backendCache")
public class BackendCache {

    private final AsyncCache<String, Answer> cache;
    private final ProducerTemplate producer;
    private final long waitMillis;

    public BackendCache(ProvisioningProperties properties, ProducerTemplate producer) {
        this.producer = producer;
        this.waitMillis = properties.getBackendTimeout().toMillis() * 3;
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<String, Answer>(Answer::ttl))
                .buildAsync();
    }

    /**
     * Leaves the backend's answer for property {@code backendKey} on the message (status header, Content-Type,
     * body bytes): from the cache, from a request fetching it right now, or by sending the exchange to {@code uri}.
     */
    public void fetch(Exchange exchange, String uri) throws Exception {
        long start = System.nanoTime();
        try {
            fetchAnswer(exchange, uri);
        } finally {
            exchange.setProperty("backendMillis", (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void fetchAnswer(Exchange exchange, String uri) throws Exception {
        exchange.setProperty("backendShared", false);
        Duration ttl = exchange.getProperty("cacheTtl", Duration.ZERO, Duration.class);
        if (ttl.isZero() || ttl.isNegative()) {
            call(exchange, uri);
            return;
        }
        String key = exchange.getProperty("backendKey", String.class);
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> shared = cache.asMap().putIfAbsent(key, mine);
        if (shared != null) {
            exchange.setProperty("backendShared", true);
            apply(exchange.getMessage(), await(shared));
            return;
        }
        try {
            call(exchange, uri);
            Answer answer = Answer.of(exchange.getMessage(), ttl);
            mine.complete(answer);
            if (!answer.reusable()) {
                cache.asMap().remove(key, mine);
            }
        } catch (Exception e) {
            mine.completeExceptionally(e);
            cache.asMap().remove(key, mine);
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

    private void call(Exchange exchange, String uri) throws Exception {
        producer.send(uri, exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            throw failure;
        }
    }

    private Answer await(CompletableFuture<Answer> shared) throws Exception {
        try {
            return shared.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new java.net.SocketTimeoutException("waited too long for a shared backend call");
        }
    }

    private static void apply(Message message, Answer answer) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        message.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
        message.setBody(answer.body());
    }

    record Answer(int status, String contentType, byte[] body, Duration ttl) {

        static Answer of(Message message, Duration ttl) {
            return new Answer(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                    message.getHeader(Exchange.CONTENT_TYPE, String.class), message.getBody(byte[].class), ttl);
        }

        boolean reusable() {
            return (status >= 200 && status < 300) || status == 403;
        }
    }
}
