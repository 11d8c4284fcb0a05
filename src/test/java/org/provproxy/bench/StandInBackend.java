package org.provproxy.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * XSI and DMS in one loopback server, answering the documents of samples/mobile-three-devices for any user (its
 * profile made an enterprise's: {@code isEnterprise="true"}), and one enterprise directory ({@link BenchDirectory})
 * in pages, as the contacts web service reads it. Every answer (the Digest challenge too) is sent {@link #delayMs}
 * later by a scheduler, never by a sleeping thread, so 4,000 calls in flight need a handful of threads and the
 * stand-in is not what the bench measures.
 * XSI takes any Basic credentials; the DMS checks Digest for real ({@link DmsDigest}). Requests are counted per
 * resource.
 */
final class StandInBackend implements AutoCloseable {

    static final String XSI_ROOT = "/com.broadsoft.xsi-actions";
    static final String DEVICE_FILE = "/bc-mobile/mobile-config.xml";
    /** The counted resource of a directory page. */
    static final String DIRECTORY_PAGE = "xsi directory page";
    private static final String USER_PATH = XSI_ROOT + "/v2.0/user/";

    static {
        // the JDK server closes pooled connections beyond 200 idle ones (the proxy would reconnect all the time),
        // and without TCP_NODELAY its separate header and body writes can wait for a delayed ACK
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4, daemon("stand-in"));
    private final ScheduledExecutorService later = Executors.newScheduledThreadPool(2, daemon("stand-in-later"));
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final DmsDigest digest;
    private final String devices;
    private final byte[] profile;
    private final byte[] blf;
    private final byte[] deviceFile;
    private final BenchDirectory directory;
    private final CriticalPath criticalPath;
    private volatile long delayMs;

    StandInBackend(Path sample, String dmsUser, String dmsPassword, long nonceLifetimeMs, int directoryEntries,
                   CriticalPath criticalPath) {
        this.criticalPath = criticalPath;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
            Path xsi = sample.resolve("backend/xsi");
            devices = Files.readString(xsi.resolve("profile/Device.xml"));
            // every user in one enterprise, so the contacts web service shares one directory among them all (the
            // sign-in does not read isEnterprise)
            String sampleProfile = Files.readString(xsi.resolve("profile.xml"));
            String enterpriseProfile = sampleProfile.replace("isEnterprise=\"false\"", "isEnterprise=\"true\"");
            if (enterpriseProfile.equals(sampleProfile)) {
                throw new IllegalStateException("no isEnterprise=\"false\" to turn in " + xsi.resolve("profile.xml"));
            }
            profile = enterpriseProfile.getBytes(StandardCharsets.UTF_8);
            blf = Files.readAllBytes(xsi.resolve("services/BusyLampField.xml"));
            deviceFile = Files.readAllBytes(sample.resolve("backend/dms" + DEVICE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        directory = new BenchDirectory(directoryEntries);
        digest = new DmsDigest(dmsUser, dmsPassword, nonceLifetimeMs);
        // with a delay a handler only schedules its answer: it runs on the server's own thread, not handed over to a
        // pool first (one thread wake-up less per call, which the one-client latency would count as the proxy's);
        // without, answering (a directory page of megabytes) is the work, spread over the pool
        server.setExecutor(task -> {
            if (delayMs > 0) {
                task.run();
            } else {
                handlers.execute(task);
            }
        });
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String xsiUrl() {
        return baseUrl() + XSI_ROOT;
    }

    String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void delay(long ms) {
        delayMs = ms;
    }

    /** The enterprise directory every user reads. */
    BenchDirectory directory() {
        return directory;
    }

    /** Requests so far per resource ({@code xsi Device}, {@code dms 401}, ...), sorted by name. */
    Map<String, Long> counts() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((resource, count) -> copy.put(resource, count.sum()));
        return copy;
    }

    private void handle(HttpExchange exchange) {
        long arrived = System.nanoTime();
        String path = exchange.getRequestURI().getRawPath();
        Answer answer;
        String user = null;
        if (path.startsWith(USER_PATH)) {
            String resource = path.substring(USER_PATH.length());
            user = URLDecoder.decode(resource.substring(0, Math.max(0, resource.indexOf('/'))), StandardCharsets.UTF_8);
            resource = resource.substring(resource.indexOf('/') + 1);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Basic ")) {
                answer = new Answer("xsi 401", 401, null, null);
            } else {
                answer = switch (resource) {
                    case "profile/Device" -> new Answer("xsi Device", 200, devices(user), null);
                    case "profile" -> new Answer("xsi profile", 200, profile, null);
                    case "services/BusyLampField" -> new Answer("xsi BusyLampField", 200, blf, null);
                    case "directories/Enterprise" -> new Answer(DIRECTORY_PAGE, 200,
                            directory.page(exchange.getRequestURI().getRawQuery()), null);
                    default -> new Answer("xsi other", 404, null, null);
                };
            }
        } else if (path.startsWith("/dms/") && path.endsWith(DEVICE_FILE)) {
            user = path.substring("/dms/".length(), path.length() - DEVICE_FILE.length());
            DmsDigest.Verdict verdict = digest.check(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                            : "?" + exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Authorization"));
            answer = switch (verdict) {
                case OK -> new Answer("dms 200", 200, deviceFile, null);
                case NONE -> new Answer("dms 401 challenge", 401, null, digest.challenge(false));
                case STALE -> new Answer("dms 401 stale", 401, null, digest.challenge(true));
                case WRONG -> new Answer("dms 401 wrong", 401, null, digest.challenge(false));
            };
        } else {
            answer = new Answer("other", 404, null, null);
        }
        counts.computeIfAbsent(answer.resource, r -> new LongAdder()).increment();
        criticalPath.arrived(user, answer.resource, arrived);
        String of = user;
        long delay = delayMs;
        if (delay <= 0) {
            send(exchange, answer, of);
        } else {
            later.schedule(() -> send(exchange, answer, of), delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The user's devices, their file URLs on this server and per user ({@code /dms/<user>/bc-mobile/}), so one
     * user's device file is not another's cached one, as with a real DMS where each device has its own.
     */
    private byte[] devices(String user) {
        String folder = user.replaceAll("[^A-Za-z0-9.-]", "_");
        return devices.replace("${backend}/dms/", baseUrl() + "/dms/" + folder + "/").getBytes(StandardCharsets.UTF_8);
    }

    private void send(HttpExchange exchange, Answer answer, String user) {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (answer.challenge != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", answer.challenge);
            }
            if (answer.body == null) {
                exchange.sendResponseHeaders(answer.status, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/xml;charset=UTF-8");
            exchange.sendResponseHeaders(answer.status, answer.body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body);
            }
        } catch (IOException | RuntimeException e) {
            // the proxy gave up on this call (its deadline): nothing to answer
        }
        criticalPath.answered(user, answer.resource, System.nanoTime());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        later.shutdownNow();
        handlers.shutdownNow();
    }

    private record Answer(String resource, int status, byte[] body, String challenge) {
    }
}
