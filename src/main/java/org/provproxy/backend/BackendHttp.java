package org.provproxy.backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.provproxy.config.ProvisioningProperties;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The rules both backend clients follow, XSI ({@link XsiClient}) and the DMS ({@link DeviceFileClient}), both
 * Apache HttpClient 5 async clients: a call holds no thread while it waits for its answer.
 * <ul>
 *   <li>one deadline per call ({@link BackendCall#deadline()}, else {@code provisioning.backend-timeout} from now):
 *       connecting, sending, the Digest round trip, a retry and reading the whole answer must end by then, else
 *       the call is cancelled ({@link DeadlinePassed}): a backend trickling a byte a second cannot hold a request
 *       longer;</li>
 *   <li>an answer is read whole, but at most {@code provisioning.backend-max-answer-size} bytes after
 *       decompression ({@link BoundedAnswerConsumer}); a larger one fails with {@link AnswerTooLarge} and its
 *       connection is closed, not drained;</li>
 *   <li>after an XSI or DMS node restarts, its pooled connections are dead: one idle for a while is checked before
 *       it is used, idle ones are closed after {@link #MAX_IDLE}, and a GET whose connection died before any
 *       answer is sent once more ({@link StaleConnectionRetry}). Never a POST (a call would be placed twice),
 *       never after an answer such as 503 or 429 (more load on an overloaded platform), never after a timeout;</li>
 *   <li>the answer is handed on on a {@link BackendWorkers} thread with the caller's MDC, never on the client's
 *       I/O threads: what follows (XML parsing, XSLT) is CPU work.</li>
 * </ul>
 */
@Component("backendHttp")
public class BackendHttp implements DisposableBean {

    /** Pooled connections idle longer are closed: servers and balancers drop idle connections themselves. */
    static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);
    /** A pooled connection idle longer is checked before it carries a request. */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);
    /** Hosts whose connections one client holds at most at once, each up to backend-connections-per-host. */
    private static final int HOSTS_AT_ONCE = 4;

    private final long maxAnswerBytes;
    private final int connectionsPerHost;
    private final Duration callTimeout;
    private final BackendWorkers workers;
    /** Cancels calls at their deadline; the work is a cancel, so one thread serves every call. */
    private final ScheduledThreadPoolExecutor deadlines;
    private final List<PoolingAsyncClientConnectionManager> pools = new CopyOnWriteArrayList<>();
    private final List<CloseableHttpAsyncClient> clients = new CopyOnWriteArrayList<>();

    public BackendHttp(ProvisioningProperties properties, BackendWorkers workers) {
        this.maxAnswerBytes = properties.getBackendMaxAnswerSize().toBytes();
        this.connectionsPerHost = properties.getBackendConnectionsPerHost();
        this.callTimeout = properties.getBackendTimeout();
        this.workers = workers;
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "backend-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // most calls end in time: their cancels leave the queue at once
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
        clients.forEach(client -> client.close(CloseMode.IMMEDIATE));
    }

    /**
     * A started async client with the rules: its own connection pool (timeouts of
     * {@code provisioning.backend-timeout}, dead connections checked, idle ones evicted), the stale connection
     * retry, no cookies (XSI's session cookie must never pass from one user to another); {@code customizer} adds
     * what the backend needs (authentication, redirects).
     */
    public CloseableHttpAsyncClient client(Consumer<HttpAsyncClientBuilder> customizer) {
        Timeout timeout = Timeout.of(callTimeout);
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .setMaxConnTotal(connectionsPerHost * HOSTS_AT_ONCE)
                .setMaxConnPerRoute(connectionsPerHost)
                .build();
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(timeout).build())
                .setRetryStrategy(new StaleConnectionRetry(this::closeIdleConnections))
                .evictIdleConnections(MAX_IDLE)
                .disableCookieManagement();
        customizer.accept(builder);
        CloseableHttpAsyncClient client = builder.build();
        client.start();
        pools.add(pool);
        clients.add(client);
        return client;
    }

    /**
     * Closes the idle pooled connections of every backend client: after a node restart they are all dead (public
     * for tests that need new connections).
     */
    public void closeIdleConnections() {
        pools.forEach(pool -> pool.closeIdle(TimeValue.ZERO_MILLISECONDS));
    }

    /**
     * Sends {@code request} with {@code client} and reads its answer within the limit; the future completes (on a
     * {@link BackendWorkers} thread, with the caller's MDC) with the answer, or fails: {@link DeadlinePassed} when
     * {@code deadline} ({@link System#nanoTime()}, 0: the call timeout from now) passed first,
     * {@link AnswerTooLarge}, or the I/O failure.
     */
    public CompletableFuture<BackendAnswer> execute(CloseableHttpAsyncClient client, AsyncRequestProducer request,
                                                    HttpClientContext context, long deadline) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        CompletableFuture<BackendAnswer> io = new CompletableFuture<>();
        long budget = (deadline != 0 ? deadline : System.nanoTime() + callTimeout.toNanos()) - System.nanoTime();
        if (budget <= 0) {
            return workers.handOver(CompletableFuture.failedFuture(
                    new DeadlinePassed("no time left for the call", null)), mdc);
        }
        AtomicBoolean aborted = new AtomicBoolean();
        Future<BackendAnswer> call = client.execute(request, new BoundedAnswerConsumer(maxAnswerBytes), context,
                new FutureCallback<>() {
                    @Override
                    public void completed(BackendAnswer answer) {
                        io.complete(answer);
                    }

                    @Override
                    public void failed(Exception failure) {
                        io.completeExceptionally(aborted.get() ? passed(budget, failure) : failure);
                    }

                    @Override
                    public void cancelled() {
                        io.completeExceptionally(passed(budget, null));
                    }
                });
        ScheduledFuture<?> abort = deadlines.schedule(() -> {
            aborted.set(true);
            // cancelling aborts the exchange in any phase: waiting for a connection, connecting, reading; the
            // connection is closed, not returned to the pool
            call.cancel(true);
        }, budget, TimeUnit.NANOSECONDS);
        io.whenComplete((answer, failure) -> abort.cancel(false));
        return workers.handOver(io, mdc);
    }

    private static DeadlinePassed passed(long budget, Throwable cause) {
        return new DeadlinePassed("no complete answer within " + Duration.ofNanos(budget).toMillis() + " ms", cause);
    }

    /**
     * Sends a GET once more when its connection died before any answer: what a pooled connection to a restarted
     * node does (closed without a response, or reset). Not a refused connection or an unknown host (the node is
     * down: a second try fails the same), not a timeout or a cancelled call (the deadline decides), not TLS
     * trouble, never once an answer's head arrived.
     */
    static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

        private final Runnable closeIdleConnections;

        StaleConnectionRetry(Runnable closeIdleConnections) {
            this.closeIdleConnections = closeIdleConnections;
        }

        @Override
        public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            boolean retry = execCount <= 1 && Method.isSafe(request.getMethod())
                    && context.getAttribute(BoundedAnswerConsumer.ANSWERED) == null && diedUnanswered(failure);
            if (retry) {
                // a node restarted: every pooled connection to it is as dead as this one, so the retry (and the
                // burst behind it) must not draw another of them
                closeIdleConnections.run();
            }
            return retry;
        }

        static boolean diedUnanswered(IOException failure) {
            return failure instanceof NoHttpResponseException || failure instanceof ConnectionClosedException
                    || failure instanceof SocketException && !(failure instanceof ConnectException
                            || failure instanceof NoRouteToHostException || failure instanceof PortUnreachableException);
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }

    /** The answer was larger than {@code provisioning.backend-max-answer-size} (after decompression). */
    public static final class AnswerTooLarge extends IOException {
        AnswerTooLarge(long limit) {
            super("answer larger than " + limit + " bytes");
        }
    }

    /** The call's deadline passed before it ended (its backend-timeout, or its request's deadline). */
    public static final class DeadlinePassed extends InterruptedIOException {
        DeadlinePassed(String detail, Throwable cause) {
            super(detail);
            initCause(cause);
        }
    }
}
