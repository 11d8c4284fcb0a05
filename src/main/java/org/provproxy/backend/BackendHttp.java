package org.provproxy.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.IdleConnectionEvictor;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The rules both backend clients follow, XSI (camel-http, {@link XsiHttpSettings}) and the DMS
 * ({@link DeviceFileClient}):
 * <ul>
 *   <li>one deadline per call: the request header {@value #DEADLINE_HEADER} (a {@link System#nanoTime()}, set
 *       from the call's {@link BackendCall#deadline()}; removed before sending), else
 *       {@code provisioning.backend-timeout} from now. Connecting, sending, the Digest round trip and reading the
 *       whole answer must end by then, else the call is aborted ({@link DeadlinePassed}): a backend trickling a
 *       byte a second cannot hold a request longer;</li>
 *   <li>an answer is read whole, but at most {@code provisioning.backend-max-answer-size} bytes after
 *       decompression; a larger one fails with {@link AnswerTooLarge} and its connection is closed, not drained;</li>
 *   <li>after an XSI or DMS node restarts, its pooled connections are dead: one idle for a while is checked before
 *       it is used, idle ones are closed after {@link #MAX_IDLE}, and a GET whose connection died before any
 *       answer is sent once more ({@link StaleConnectionRetry}). Never a POST (a call would be placed twice),
 *       never after an answer such as 503 or 429 (more load on an overloaded platform), never after a timeout.</li>
 * </ul>
 */
@Component("backendHttp")
public class BackendHttp implements DisposableBean {

    /** Request header carrying a call's deadline to the client (read and removed before the request is sent). */
    public static final String DEADLINE_HEADER = "X-Provisioning-Deadline";
    /** Pooled connections idle longer are closed: servers and balancers drop idle connections themselves. */
    static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);
    /** A pooled connection idle longer is checked (a one-millisecond read) before it carries a request. */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);
    private static final int MAX_CONNECTIONS = 200;
    private static final int MAX_CONNECTIONS_PER_HOST = 100;

    private final long maxAnswerBytes;
    private final Duration callTimeout;
    /** Aborts calls at their deadline; the work is a cancel, so one thread serves every call. */
    private final ScheduledThreadPoolExecutor deadlines;
    private final List<IdleConnectionEvictor> evictors = new CopyOnWriteArrayList<>();
    private final List<PoolingHttpClientConnectionManager> pools = new CopyOnWriteArrayList<>();

    public BackendHttp(ProvisioningProperties properties) {
        this.maxAnswerBytes = properties.getBackendMaxAnswerSize().toBytes();
        this.callTimeout = properties.getBackendTimeout();
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "backend-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // most calls end in time: their aborts leave the queue at once
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
        evictors.forEach(IdleConnectionEvictor::shutdown);
    }

    /**
     * A connection pool for one backend client: connect and socket timeouts of {@code provisioning.backend-timeout}
     * (the call's deadline ends it sooner when due), dead connections checked and idle ones evicted.
     */
    public PoolingHttpClientConnectionManager connectionManager() {
        Timeout timeout = Timeout.of(callTimeout);
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_HOST)
                .build();
        // the client would evict only from a pool of its own; camel-http's pool counts as shared
        IdleConnectionEvictor evictor = new IdleConnectionEvictor(pool, runnable -> {
            Thread thread = new Thread(runnable, "backend-idle-connections");
            thread.setDaemon(true);
            return thread;
        }, TimeValue.ofSeconds(10), MAX_IDLE);
        evictor.start();
        evictors.add(evictor);
        pools.add(pool);
        return pool;
    }

    /** Closes the idle pooled connections of every backend client: after a node restart they are all dead. */
    void closeIdleConnections() {
        pools.forEach(pool -> pool.closeIdle(TimeValue.ZERO_MILLISECONDS));
    }

    /** Applies the rules to a client being built. */
    public HttpClientBuilder configure(HttpClientBuilder builder) {
        // first = outermost: the answer this handler reads is already decompressed (ContentCompressionExec is
        // inside), so a small gzip answer that inflates to gigabytes is counted as it inflates; and the deadline
        // covers everything inside (authentication round trips, retries)
        return builder.addExecInterceptorFirst("provisioning-bounded-call", new BoundedCall())
                .setRetryStrategy(new StaleConnectionRetry(this::closeIdleConnections));
    }

    /**
     * Sends a GET once more when its connection died before any answer: what a pooled connection to a restarted
     * node does (no response at all, or reset). Not a refused connection or an unknown host (the node is down: a
     * second try fails the same), not a timeout or an aborted call (the deadline decides), not TLS trouble.
     */
    static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

        private final Runnable closeIdleConnections;

        StaleConnectionRetry(Runnable closeIdleConnections) {
            this.closeIdleConnections = closeIdleConnections;
        }

        @Override
        public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            boolean retry = execCount <= 1 && Method.isSafe(request.getMethod()) && diedUnanswered(failure);
            if (retry) {
                // a node restarted: every pooled connection to it is as dead as this one, so the retry (and the
                // burst behind it) must not draw another of them
                closeIdleConnections.run();
            }
            return retry;
        }

        static boolean diedUnanswered(IOException failure) {
            return failure instanceof NoHttpResponseException
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

    /**
     * Aborts the call at its deadline, and reads the answer's body here, up to the limit, so that nothing after it
     * ever holds more and the deadline covers the whole body.
     */
    private final class BoundedCall implements ExecChainHandler {

        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
                throws IOException, HttpException {
            long budget = deadlineOf(request) - System.nanoTime();
            if (budget <= 0) {
                throw new DeadlinePassed("no time left for the call", null);
            }
            AtomicBoolean aborted = new AtomicBoolean();
            ScheduledFuture<?> abort = deadlines.schedule(() -> {
                aborted.set(true);
                abort(scope);
            }, budget, TimeUnit.NANOSECONDS);
            try {
                return read(chain.proceed(request, scope), scope);
            } catch (IOException e) {
                if (aborted.get()) {
                    throw new DeadlinePassed("no complete answer within " + Duration.ofNanos(budget).toMillis()
                            + " ms", e);
                }
                throw e;
            } finally {
                abort.cancel(false);
            }
        }

        /** The deadline the caller set (and that no backend may see), else the call timeout from now. */
        private long deadlineOf(ClassicHttpRequest request) {
            Header header = request.getFirstHeader(DEADLINE_HEADER);
            request.removeHeaders(DEADLINE_HEADER);
            if (header != null) {
                try {
                    long deadline = Long.parseLong(header.getValue().trim());
                    if (deadline != 0) {
                        return deadline;
                    }
                } catch (NumberFormatException unset) {
                    // no deadline given: the call timeout applies
                }
            }
            return System.nanoTime() + callTimeout.toNanos();
        }

        /** Cancelling the request aborts it in any phase: waiting for a connection, connecting, reading. */
        private void abort(ExecChain.Scope scope) {
            if (scope.originalRequest instanceof Cancellable request) {
                request.cancel();
            } else {
                scope.execRuntime.discardEndpoint();
            }
        }

        private ClassicHttpResponse read(ClassicHttpResponse response, ExecChain.Scope scope) throws IOException {
            try {
                HttpEntity entity = response.getEntity();
                if (entity != null) {
                    response.setEntity(new ByteArrayEntity(read(entity),
                            ContentType.parseLenient(entity.getContentType()), entity.getContentEncoding()));
                }
                return response;
            } catch (IOException | RuntimeException e) {
                // the connection is closed first, so that closing the answer does not read the rest of it
                scope.execRuntime.discardEndpoint();
                closeQuietly(response, e);
                throw e;
            }
        }

        private static void closeQuietly(ClassicHttpResponse response, Exception failure) {
            try {
                response.close();
            } catch (IOException | RuntimeException closing) {
                failure.addSuppressed(closing);
            }
        }

        /** The whole body; fails past the limit (the caller closes the connection then, unread). */
        private byte[] read(HttpEntity entity) throws IOException {
            long declared = entity.getContentLength();
            if (declared > maxAnswerBytes) {
                throw new AnswerTooLarge(maxAnswerBytes);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            InputStream in = entity.getContent();
            if (in == null) {
                return new byte[0];
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                total += n;
                if (total > maxAnswerBytes) {
                    throw new AnswerTooLarge(maxAnswerBytes);
                }
                body.write(buffer, 0, n);
            }
            in.close();
            return body.toByteArray();
        }
    }
}
