package org.provproxy.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the bench starts and measures from outside, as an operator would see it: CPU from /proc/&lt;pid&gt;/stat,
 * resident memory from /proc/&lt;pid&gt;/status, the heap from its own GC log. Its output goes to a log file.
 */
final class MeasuredJvm implements AutoCloseable {

    /** Heap figures of a unified GC log line: {@code 24M->3M(256M)}. */
    private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private final Process process;
    private final int port;
    private final Path gcLog;
    private final Path log;

    private MeasuredJvm(Process process, int port, Path gcLog, Path log) {
        this.process = process;
        this.port = port;
        this.gcLog = gcLog;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmFlags> -Xlog:gc:file=target/bench-gc-<name>.log <launch> --server.port=<free port>
     * <appArgs>} and waits until /actuator/health answers 200, UP.
     */
    static MeasuredJvm start(String name, List<String> jvmFlags, List<String> launch, List<String> appArgs,
                             Duration startTimeout) {
        int port = freePort();
        Path gcLog = Path.of("target", "bench-gc-" + name + ".log");
        Path log = Path.of("target", "bench-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Xlog:gc:file=" + gcLog);
        command.addAll(launch);
        command.add("--server.port=" + port);
        command.addAll(appArgs);
        try {
            Files.deleteIfExists(gcLog);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            MeasuredJvm jvm = new MeasuredJvm(process, port, gcLog, log);
            jvm.awaitHealthy(startTimeout);
            return jvm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("the JVM stopped at start; see " + log, () -> !process.isAlive())
                .until(() -> up(client.send(health, HttpResponse.BodyHandlers.ofString())));
    }

    /**
     * 200 with status UP (or WARNING, which the proxy maps to 200): the proxy's health also answers 200 with
     * {"status":"DOWN"} while its routes are still starting, as its http-mapping replaces Boot's defaults.
     */
    private static boolean up(HttpResponse<String> health) {
        return health.statusCode() == 200 && health.body().matches("(?s).*\"status\":\"(UP|WARNING)\".*");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** User plus system CPU time of the process so far, in milliseconds (fields 14 and 15 of /proc/pid/stat). */
    long cpuMs() {
        return ticks(read("stat")) * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** User CPU time of the JVM's JIT compiler threads so far, in milliseconds ({@link #threads}). */
    long jitCpuMs() {
        return threads().values().stream().filter(thread -> thread.kind().equals(JIT))
                .mapToLong(ThreadCpu::userMs).sum();
    }

    /** One live thread of the JVM: its kind ({@link #kind}) and its user CPU time so far, in milliseconds. */
    record ThreadCpu(String kind, long userMs) {
    }

    /**
     * The JVM's live threads by id, from /proc/pid/task (their names cut to 15 characters by the kernel). A thread
     * ending while it is read is skipped.
     */
    Map<Long, ThreadCpu> threads() {
        Map<Long, ThreadCpu> threads = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String kind = kind(Files.readString(task.resolve("comm")).trim());
                    long ticks = userTicks(Files.readString(task.resolve("stat")));
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new ThreadCpu(kind, ticks * 1000 / CLOCK_TICKS_PER_SECOND));
                } catch (IOException gone) {
                    // the thread ended meanwhile (HotSpot stops idle compiler threads, pools end idle threads)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return threads;
    }

    /** System (kernel) CPU time of the whole process so far, in milliseconds. */
    long systemCpuMs() {
        return systemTicks(read("stat")) * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * CPU ms per kind of thread between two {@link #threads} readings: threads alive at the second, less what they
     * had at the first (a thread that ended in between is missing, its share small), plus the process's kernel
     * time as "system (kernel)". Kinds: {@value #JIT} (HotSpot's C1/C2 CompilerThread), "gc", "http server
     * (tomcat)", "request tasks" (Spring's task-N threads, where platform-http runs the exchanges), "backend
     * workers", "http client", "camel", "other"; per kind, user time only.
     */
    static Map<String, Long> byKind(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, long systemMs) {
        Map<String, Long> kinds = new TreeMap<>();
        after.forEach((id, thread) -> {
            ThreadCpu was = before.get(id);
            kinds.merge(thread.kind(), thread.userMs() - (was == null ? 0 : was.userMs()), Long::sum);
        });
        kinds.put("system (kernel)", systemMs);
        return kinds;
    }

    static final String JIT = "jit";

    private static String kind(String comm) {
        if (comm.contains("CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
            return "gc";
        }
        if (comm.startsWith("http-nio-")) {
            return "http server (tomcat)";
        }
        if (comm.startsWith("task-")) {
            // Spring's task executor, where camel-platform-http runs each request's exchange
            return "request tasks";
        }
        if (comm.startsWith("backend-worker")) {
            return "backend workers";
        }
        if (comm.startsWith("httpclient")) {
            return "http client";
        }
        if (comm.startsWith("Camel ")) {
            return "camel";
        }
        return "other";
    }

    /** utime of a /proc stat line (field 14). */
    private static long userTicks(String stat) {
        return Long.parseLong(fields(stat)[11]);
    }

    /** stime of a /proc stat line (field 15). */
    private static long systemTicks(String stat) {
        return Long.parseLong(fields(stat)[12]);
    }

    private static String[] fields(String stat) {
        // fields[0] is field 3 (state)
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    }

    /** utime + stime of a /proc stat line. */
    private static long ticks(String stat) {
        return userTicks(stat) + systemTicks(stat);
    }

    /** Peak resident memory in MB (VmHWM). */
    long peakRssMb() {
        return statusKb("VmHWM") / 1024;
    }

    /** Resident memory now in MB (VmRSS). */
    long rssMb() {
        return statusKb("VmRSS") / 1024;
    }

    /** The largest heap-before-GC figure in the GC log, in MB; -1 when no collection ran. */
    long peakHeapMb() {
        try {
            if (!Files.exists(gcLog)) {
                return -1;
            }
            long peak = -1;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = HEAP.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, mb(Long.parseLong(m.group(1)), m.group(2)));
                }
            }
            return peak;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mb(long value, String unit) {
        return switch (unit) {
            case "K" -> value / 1024;
            case "G" -> value * 1024;
            default -> value;
        };
    }

    private long statusKb(String key) {
        for (String line : read("status").split("\n")) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
            }
        }
        return -1;
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jiffies per second of /proc/pid/stat; 100 on every usual Linux, asked of getconf in case. */
    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
