package org.provproxy.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Closed-loop clients: each of N sends its next request when the answer to the previous one came, so the load
 * adapts to the server instead of piling up. Asynchronous (one selector thread), so 1,000 clients need no 1,000
 * threads in this JVM. A request fails when its status is not the expected one or no answer came within
 * {@link #ANSWER_TIMEOUT}. An answer's body is counted, not kept (a contacts answer is megabytes), unless its
 * request failed: then its start is the failure's note.
 */
final class ClosedLoopLoad implements AutoCloseable {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** The JIT counts as done when its compiler threads use less than this share of one core... */
    static final double JIT_QUIET = 0.05;
    /** ...over this window. */
    static final Duration JIT_WINDOW = Duration.ofSeconds(5);

    /** What one run measured; latencies, CPU and body bytes cover the measured requests only. */
    record Result(int clients, long requests, long failed, double p50Ms, double p99Ms, double perSecond,
                  long cpuMs, long jitCpuMs, long benchCpuMs, long allRequests, Map<String, Long> outcomes,
                  String firstFailure, long bodyBytes, Map<String, Long> cpuByThread) {

        double cpuMsPerRequest() {
            return requests == 0 ? Double.NaN : (double) cpuMs / requests;
        }

        /** Per kind of thread (MeasuredJvm#byKind), its CPU ms per request, the largest first. */
        String cpuByThreadPerRequest() {
            return cpuByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + BenchTable.number(requests == 0 ? Double.NaN
                            : (double) e.getValue() / requests, 2))
                    .collect(Collectors.joining(", "));
        }

        /** The part of {@link #cpuMsPerRequest} the JIT compiler threads used. */
        double jitMsPerRequest() {
            return requests == 0 ? Double.NaN : (double) jitCpuMs / requests;
        }

        double bytesPerAnswer() {
            return requests == 0 ? Double.NaN : (double) bodyBytes / requests;
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "load");
        thread.setDaemon(true);
        return thread;
    });
    private final CriticalPath criticalPath;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ANSWER_TIMEOUT).executor(executor).build();

    ClosedLoopLoad(CriticalPath criticalPath) {
        this.criticalPath = criticalPath;
    }

    /** Warm-up, then the measured phase, each for a while with all clients busy. */
    Result forDuration(int clients, Supplier<HttpRequest> next, int expected, Duration warmup, Duration measure,
                       MeasuredJvm jvm) throws InterruptedException {
        Run run = new Run(next, expected, Long.MAX_VALUE);
        run.start(clients);
        run.stopped.await(warmup.toMillis(), TimeUnit.MILLISECONDS);
        long cpu = jvm.cpuMs();
        run.threadsBefore = jvm.threads();
        run.systemBefore = jvm.systemCpuMs();
        run.benchCpuBefore = benchCpuMs();
        long start = System.nanoTime();
        run.measuring = true;
        run.stopped.await(measure.toMillis(), TimeUnit.MILLISECONDS);
        run.measuring = false;
        run.stopping = true;
        return run.finish(clients, cpu, start, jvm);
    }

    /**
     * Warms the JIT up: {@code clients} send until {@code requests} were answered or {@code atMost} passed, then
     * go on while the JVM's JIT compiler threads still work (more than {@link #JIT_QUIET} of one core over the
     * last {@link #JIT_WINDOW}), at most {@code jitQuietMax} longer. A JVM measured while C2 still compiles the
     * hot path (on 2 cores its one C2 thread works for minutes) spends a core on compiling, which is not what a
     * running proxy costs.
     */
    WarmUp warmUp(int clients, Supplier<HttpRequest> next, long requests, Duration atMost, Duration jitQuietMax,
                  MeasuredJvm jvm) throws InterruptedException {
        long start = System.nanoTime();
        Run run = new Run(next, -1, Long.MAX_VALUE);
        run.start(clients);
        long until = start + atMost.toNanos();
        while (run.all.get() < requests && System.nanoTime() < until && !run.stopping) {
            run.stopped.await(100, TimeUnit.MILLISECONDS);
        }
        long quietUntil = System.nanoTime() + jitQuietMax.toNanos();
        double jitShare;
        do {
            long jit = jvm.jitCpuMs();
            run.stopped.await(JIT_WINDOW.toMillis(), TimeUnit.MILLISECONDS);
            jitShare = (double) (jvm.jitCpuMs() - jit) / JIT_WINDOW.toMillis();
        } while (jitShare > JIT_QUIET && System.nanoTime() < quietUntil && !run.stopping);
        run.stopping = true;
        run.done.await(ANSWER_TIMEOUT.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        if (run.firstFailure.get() != null && run.firstFailure.get().startsWith("harness:")) {
            throw new IllegalStateException(run.firstFailure.get());
        }
        return new WarmUp(run.all.get(), (System.nanoTime() - start) / 1e9, jitShare);
    }

    /** What a warm-up took: its requests and seconds, and the JIT's share of one core in its last window. */
    record WarmUp(long requests, double seconds, double jitShare) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "warm-up %d requests in %.0f s (JIT at the end %.0f %% of "
                    + "a core)", requests, seconds, jitShare * 100);
        }
    }

    /** Every client sends {@code rounds} requests, all of them measured (no warm-up). */
    Result rounds(int clients, Supplier<HttpRequest> next, int expected, int rounds, MeasuredJvm jvm)
            throws InterruptedException {
        Run run = new Run(next, expected, rounds);
        long cpu = jvm.cpuMs();
        run.threadsBefore = jvm.threads();
        run.systemBefore = jvm.systemCpuMs();
        run.benchCpuBefore = benchCpuMs();
        long start = System.nanoTime();
        run.measuring = true;
        run.start(clients);
        return run.finish(clients, cpu, start, jvm);
    }

    /** One request, waited for: a token to refresh with, a check before the load. */
    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** One request, waited for, its body as bytes (a contacts answer: its size, as sent). */
    HttpResponse<byte[]> sendForBytes(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private final class Run {
        final Supplier<HttpRequest> next;
        final int expected;
        final long rounds;
        final CountDownLatch stopped = new CountDownLatch(1);
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final LongAdder failed = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final AtomicLong all = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final AtomicLong lastAnswer = new AtomicLong();
        volatile boolean measuring;
        volatile boolean stopping;
        long benchCpuBefore;
        Map<Long, MeasuredJvm.ThreadCpu> threadsBefore = Map.of();
        long systemBefore;
        CountDownLatch done;

        Run(Supplier<HttpRequest> next, int expected, long rounds) {
            this.next = next;
            this.expected = expected;
            this.rounds = rounds;
        }

        void start(int clients) {
            done = new CountDownLatch(clients);
            for (int i = 0; i < clients; i++) {
                sendNext(0);
            }
        }

        private void sendNext(long sent) {
            if (stopping || sent >= rounds) {
                done.countDown();
                return;
            }
            boolean measured = measuring;
            long start = System.nanoTime();
            HttpRequest request;
            try {
                request = next.get();
            } catch (RuntimeException e) {
                // the harness broke, not the proxy: stop everything and say so
                firstFailure.compareAndSet(null, "harness: " + e);
                stopping = true;
                stopped.countDown();
                done.countDown();
                return;
            }
            HttpResponse.BodyHandler<Body> body = body(measured ? expected : Integer.MIN_VALUE);
            String user = measured ? CriticalPath.userOfQuery(request.uri().getRawQuery()) : null;
            criticalPath.sent(user, System.nanoTime());
            client.sendAsync(request, body).whenComplete((response, error) -> {
                long end = System.nanoTime();
                criticalPath.received(user, end);
                all.incrementAndGet();
                String outcome = error != null ? error.getClass().getSimpleName() : "HTTP " + response.statusCode();
                if (measured) {
                    micros.add((end - start) / 1000);
                    lastAnswer.accumulateAndGet(end, Math::max);
                    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
                    if (response != null) {
                        bytes.add(response.body().bytes());
                    }
                    if (error != null || response.statusCode() != expected) {
                        failed.increment();
                        firstFailure.compareAndSet(null, error != null ? error.toString()
                                : response.statusCode() + " " + snippet(response.body().kept()));
                    }
                }
                sendNext(sent + 1);
            });
        }

        Result finish(int clients, long cpuBefore, long start, MeasuredJvm jvm) throws InterruptedException {
            // every request has its own timeout, so this ends; the margin only guards against a harness bug
            if (!done.await(ANSWER_TIMEOUT.toMillis() * Math.min(rounds, 100) + 60_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("clients still busy long after their timeouts");
            }
            long cpu = jvm.cpuMs() - cpuBefore;
            Map<String, Long> threads = MeasuredJvm.byKind(threadsBefore, jvm.threads(),
                    jvm.systemCpuMs() - systemBefore);
            long jit = threads.getOrDefault(MeasuredJvm.JIT, 0L);
            long benchCpu = benchCpuMs() - benchCpuBefore;
            List<Long> sorted;
            synchronized (micros) {
                sorted = new ArrayList<>(micros);
            }
            Collections.sort(sorted);
            double seconds = (Math.max(lastAnswer.get(), start) - start) / 1e9;
            Map<String, Long> counted = new TreeMap<>();
            outcomes.forEach((outcome, count) -> counted.put(outcome, count.sum()));
            return new Result(clients, sorted.size(), failed.sum(), percentile(sorted, 0.50),
                    percentile(sorted, 0.99), seconds > 0 ? sorted.size() / seconds : Double.NaN, cpu, jit, benchCpu,
                    all.get(),
                    counted, firstFailure.get(), bytes.sum(), threads);
        }
    }

    /**
     * Counts the body; keeps it only when the status is not {@code expected}, as the failure's note
     * ({@code Integer.MIN_VALUE}: never, for requests not measured). Counting a 3 MB contacts answer costs this JVM
     * next to nothing; keeping it would not.
     */
    private static HttpResponse.BodyHandler<Body> body(int expected) {
        return info -> info.statusCode() == expected || expected == Integer.MIN_VALUE ? new Counted()
                : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                        kept -> new Body(kept.length, kept));
    }

    /** An answer's body: its length, and its bytes when kept. */
    private record Body(long bytes, byte[] kept) {
    }

    private static final class Counted implements HttpResponse.BodySubscriber<Body> {
        private final CompletableFuture<Body> body = new CompletableFuture<>();
        private long bytes;

        @Override
        public CompletionStage<Body> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                bytes += buffer.remaining();
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(new Body(bytes, null));
        }
    }

    /** CPU of this JVM (clients and stand-in): were it near all of the machine, the bench would be the bottleneck. */
    private static long benchCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    private static double percentile(List<Long> sortedMicros, double fraction) {
        if (sortedMicros.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }

    private static String snippet(byte[] body) {
        if (body == null) {
            return "";
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @Override
    public void close() {
        // (HttpClient has no close before Java 21: its connections go with this executor and the JVM)
        executor.shutdownNow();
    }
}
