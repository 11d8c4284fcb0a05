package org.provproxy.backend;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.provproxy.request.RequestIdOnEveryThread;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads on which backend answers are handed on: what follows an answer (the rest of the backend route, XML
 * parsing, the walk's next step, XSLT) is CPU work, which must not run on HttpClient's few I/O reactor threads
 * (every other call's reading would wait behind it). CPU work needs about as many threads as cores, so two per
 * core; the queue is bounded, and when it is full the completing thread runs the continuation itself: an
 * overloaded proxy slows its reading of answers rather than dropping any.
 * <p>
 * Each continuation runs with the MDC of the request that made the call ({@code requestId} on its log lines),
 * cleared after it.
 */
@Component("backendWorkers")
public class BackendWorkers implements DisposableBean {

    static final int THREADS = 2 * Runtime.getRuntime().availableProcessors();
    static final int QUEUE = 4096;

    private final ThreadPoolExecutor executor;

    public BackendWorkers() {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "backend-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    /** Runs {@code task} on a worker with {@code mdc} (the caller's, captured when its call started). */
    public void execute(Map<String, String> mdc, Runnable task) {
        executor.execute(RequestIdOnEveryThread.withMdc(mdc, task));
    }

    /** A future completed as {@code source} is, but on a worker with {@code mdc}: its dependents run there. */
    public <T> CompletableFuture<T> handOver(CompletableFuture<T> source, Map<String, String> mdc) {
        CompletableFuture<T> handed = new CompletableFuture<>();
        source.whenComplete((value, failure) -> execute(mdc, () -> {
            if (failure != null) {
                handed.completeExceptionally(unwrapped(failure));
            } else {
                handed.complete(value);
            }
        }));
        return handed;
    }

    public static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
