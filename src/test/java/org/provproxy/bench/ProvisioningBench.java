package org.provproxy.bench;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.convert.DurationStyle;

/**
 * Issue 12: the proxy's cost and latency, measured from outside. The jar runs as its own JVM (as in production,
 * {@code -Xmx512m}, GC log), against {@link StandInBackend} in this JVM, loaded by {@link ClosedLoopLoad}, and is
 * compared with a floor: a bare Spring Boot + Camel platform-http app answering a constant document
 * ({@code floor/}), started the same way. Each scenario gets a fresh JVM, so its peak heap and RSS are its own.
 * One table is printed (also to target/bench-report.txt). It asserts nothing about the figures: it fails only
 * when the harness itself breaks.
 *
 * <p>Run: {@code ./mvnw -B verify -Pbench} (the normal tests are skipped). {@code -Dbench.*} properties vary it,
 * see {@link #setting}; {@code -Dbench.scenarios=floor,sign-in} runs only some of: floor, sign-in, latency,
 * refresh, burst, single-flight, contacts.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ProvisioningBench {

    private static final Path SAMPLE = Path.of("samples", "mobile-three-devices");
    private static final Path JAR = Path.of("target", "provisioning-proxy.jar");
    private static final Pattern TOKEN = Pattern.compile("<X-xsi-token>([^<]+)</X-xsi-token>");
    private static final String CACHE_OFF = "bench";
    private static final String CACHE_ON = "benchcached";
    /** The proxy's default directory.cache-ttl, which the bench leaves as it is. */
    private static final Duration DIRECTORY_TTL = Duration.ofMinutes(10);

    // each JVM is warmed up first (D=0, the scenario's own kind of request), then settles at its scenario's
    // clients and D unmeasured, then is measured
    private final long warmupRequests = integer("bench.warmup-requests", 100000);
    private final Duration warmupMax = duration("bench.warmup-max", "45s");
    private final int warmupClients = integer("bench.warmup-clients", 16);
    // then on while the JIT still compiles, at most this much longer
    private final Duration jitQuietMax = duration("bench.jit-quiet-max", "240s");
    private final Map<String, ClosedLoopLoad.WarmUp> warmUps = new LinkedHashMap<>();
    private final Duration settle = duration("bench.settle", "2s");
    private final Duration measure = duration("bench.measure", "10s");
    private final Duration startTimeout = duration("bench.start-timeout", "180s");
    // the image's collector (pom.xml, jib: JAVA_TOOL_OPTIONS), for the floor too
    private final List<String> jvmFlags = List.of(setting("bench.jvm-flags", "-Xmx512m -XX:+UseParallelGC").trim()
            .split("\\s+"));
    private final Set<String> scenarios = Set.of(setting("bench.scenarios",
            "floor,sign-in,latency,refresh,burst,single-flight,contacts").split(","));
    private final String cacheOnTtl = setting("bench.cache-ttl", "60s");
    private final AtomicLong users = new AtomicLong();
    private final BenchTable table = new BenchTable();
    private final CriticalPath criticalPath = new CriticalPath();
    private Properties backend;
    private String password;
    private ClosedLoopLoad.Result floor;

    @Test
    void printTable() throws Exception {
        backend = new Properties();
        try (Reader in = Files.newBufferedReader(SAMPLE.resolve("backend.properties"))) {
            backend.load(in);
        }
        password = backend.getProperty("xsi.password");
        long started = System.nanoTime();
        try (StandInBackend standIn = new StandInBackend(SAMPLE, backend.getProperty("dms.user"),
                backend.getProperty("dms.password"), duration("bench.nonce-lifetime", "60s").toMillis(),
                integer("bench.contacts.entries", 10000), criticalPath);
             ClosedLoopLoad load = new ClosedLoopLoad(criticalPath)) {
            if (scenarios.contains("floor")) {
                floor(load);
            }
            if (scenarios.contains("sign-in")) {
                signIns("sign-in", "sign-in, cache off", 0, integer("bench.sign-in.clients", 32), standIn, load);
            }
            if (scenarios.contains("latency")) {
                int delay = integer("bench.latency.delay-ms", 20);
                for (String clients : setting("bench.latency.clients", "1,50").split(",")) {
                    int n = Integer.parseInt(clients.trim());
                    signIns("latency-" + n, "sign-in, cache off", delay, n, standIn, load);
                }
            }
            if (scenarios.contains("refresh")) {
                refresh(integer("bench.refresh.clients", 32), standIn, load);
            }
            if (scenarios.contains("burst")) {
                burst(standIn, load);
            }
            if (scenarios.contains("single-flight")) {
                singleFlight(standIn, load);
            }
            if (scenarios.contains("contacts")) {
                contacts(integer("bench.contacts.clients", integer("bench.refresh.clients", 32)), standIn, load);
            }
        }
        table.note(String.format("each scenario a fresh JVM, warmed up by %d requests (%d clients, D=0, at most "
                + "%ss), then on while its JIT compiler threads used more than %.0f %% of a core over %ss (at most %ss "
                + "longer), then %ss at its own clients and D unmeasured, then measured for %ss (or its rounds); the "
                + "stand-in delays every answer by D (the Digest 401 too); whole run %.0f s", warmupRequests,
                warmupClients, warmupMax.toSeconds(), ClosedLoopLoad.JIT_QUIET * 100,
                ClosedLoopLoad.JIT_WINDOW.toSeconds(), jitQuietMax.toSeconds(), settle.toSeconds(),
                measure.toSeconds(), (System.nanoTime() - started) / 1e9));
        table.note("warm-ups: " + warmUps.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("; ")));
        table.note("settings given: " + System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("bench.")).sorted()
                .map(name -> "-D" + name + "=" + System.getProperty(name))
                .collect(Collectors.collectingAndThen(Collectors.joining(" "), all -> all.isEmpty() ? "none" : all)));
        String report = table.render(machine());
        System.out.println();
        System.out.print(report);
        Files.writeString(Path.of("target", "bench-report.txt"), report);
    }

    /** The bare app: one Camel route answering a constant document. */
    private void floor(ClosedLoopLoad load) throws Exception {
        int clients = integer("bench.floor.clients", 32);
        String classpath = Path.of("target", "test-classes") + File.pathSeparator
                + Files.readString(Path.of("target", "bench-classpath.txt")).trim();
        List<String> launch = List.of("-cp", classpath, "org.provproxy.bench.floor.FloorApplication");
        try (MeasuredJvm jvm = MeasuredJvm.start("floor", jvmFlags, launch, List.of("--spring.config.name=bench-floor"),
                startTimeout)) {
            String url = jvm.baseUrl() + "/floor?username=alice%40acme.example&password=x&platform=mobile";
            expect(load.send(request(url)), 200, "floor");
            warmUp("floor", load, jvm, () -> request(url), warmupMax);
            floor = load.forDuration(clients, () -> request(url), 200, settle, measure, jvm);
            harnessOk(floor, "floor");
            table.row(cells("floor", "n/a", floor, jvm, Double.NaN, "n/a", "-"));
            table.note("floor: " + String.join(" ", jvmFlags) + ", GET /floor (Spring Boot + Camel platform-http, "
                    + "constant XML); answers " + floor.outcomes() + benchCpu(floor));
        }
    }

    /** Initial provisioning, a new user each time, on the tenant without cache. */
    private void signIns(String id, String name, int delay, int clients, StandInBackend standIn,
                         ClosedLoopLoad load) throws Exception {
        standIn.delay(0);
        try (MeasuredJvm jvm = proxy(id, standIn)) {
            expect(load.send(signIn(jvm, CACHE_OFF, nextUser())), 200, name);
            warmUp(id, load, jvm, () -> signIn(jvm, CACHE_OFF, nextUser()), warmupMax);
            standIn.delay(delay);
            Map<String, Long> before = standIn.counts();
            // one client at D > 0: where its time above 2*D goes (with more, the queues are the answer)
            criticalPath.on(delay > 0 && clients == 1);
            ClosedLoopLoad.Result result = load.forDuration(clients, () -> signIn(jvm, CACHE_OFF, nextUser()), 200,
                    settle, measure, jvm);
            harnessOk(result, id);
            String targets;
            if (delay == 0) {
                targets = judge("CPU <= 1 ms/sign-in", result.cpuMsPerRequest() <= 1.0,
                        BenchTable.number(result.cpuMsPerRequest(), 2))
                        + "; " + judge(">= 1000 sign-ins/s", result.perSecond() >= 1000,
                        BenchTable.number(result.perSecond(), 0));
            } else {
                targets = latencyTargets(result, delay);
            }
            table.row(cells(name + (delay == 0 ? " D=0" : " D=" + delay + "ms"), Integer.toString(delay), result,
                    jvm, callsPer(before, standIn.counts(), result.allRequests()), targetsOf(delay), targets));
            noteStandIn(name + " D=" + delay + " (" + clients + " clients)", before, standIn, result,
                    "tenant " + CACHE_OFF + " (cache-ttl 0s)");
            if (delay > 0 && clients == 1) {
                table.note(name + " D=" + delay + " (1 client): " + criticalPath.summary(delay));
            }
            criticalPath.on(false);
        }
    }

    /** Re-provisioning with the token and ETag of one first sign-in, answered 304 from the cache. */
    private void refresh(int clients, StandInBackend standIn, ClosedLoopLoad load) throws Exception {
        standIn.delay(0);
        try (MeasuredJvm jvm = proxy("refresh", standIn)) {
            HttpResponse<String> first = load.send(signIn(jvm, CACHE_ON, nextUser()));
            expect(first, 200, "the first sign-in of refresh");
            Matcher token = TOKEN.matcher(first.body());
            String etag = first.headers().firstValue("ETag").orElse(null);
            if (!token.find() || etag == null) {
                throw new IllegalStateException("no token or ETag in the first sign-in's answer: " + first.headers());
            }
            String url = jvm.baseUrl() + "/provisioning/account/refresh?token=" + encode(token.group(1))
                    + "&cloud_id=" + CACHE_ON + "&platform=mobile";
            Supplier<HttpRequest> refresh = () -> HttpRequest.newBuilder(URI.create(url))
                    .timeout(ClosedLoopLoad.ANSWER_TIMEOUT).header("If-None-Match", etag).build();
            expect(load.send(refresh.get()), 304, "refresh");
            warmUp("refresh", load, jvm, refresh, warmupMax);
            Map<String, Long> before = standIn.counts();
            ClosedLoopLoad.Result result = load.forDuration(clients, refresh, 304, settle, measure, jvm);
            harnessOk(result, "refresh");
            double ratio = floor == null ? Double.NaN : result.perSecond() / floor.perSecond();
            String targets = judge("req/s >= 1/4 of floor", ratio >= 0.25, BenchTable.number(ratio, 2) + " x floor")
                    + "; " + judge("all 304", result.failed() == 0, result.failed() + " not");
            table.row(cells("refresh 304 from cache", "0", result, jvm,
                    callsPer(before, standIn.counts(), result.allRequests()), "n/a", targets));
            noteStandIn("refresh 304 (" + clients + " clients)", before, standIn, result,
                    "tenant " + CACHE_ON + " (cache-ttl " + cacheOnTtl + "), If-None-Match");
        }
    }

    /** Many sign-ins at once with a slow backend: nothing may fail within a bounded heap. */
    private void burst(StandInBackend standIn, ClosedLoopLoad load) throws Exception {
        int clients = integer("bench.burst.clients", 1000);
        int delay = integer("bench.burst.delay-ms", 200);
        int rounds = integer("bench.burst.rounds", 3);
        standIn.delay(0);
        try (MeasuredJvm jvm = proxy("burst", standIn)) {
            warmUp("burst", load, jvm, () -> signIn(jvm, CACHE_OFF, nextUser()), warmupMax);
            standIn.delay(delay);
            Map<String, Long> before = standIn.counts();
            ClosedLoopLoad.Result result = load.rounds(clients, () -> signIn(jvm, CACHE_OFF, nextUser()), 200,
                    rounds, jvm);
            harnessOk(result, "burst");
            String targets = judge("0 failed", result.failed() == 0, Long.toString(result.failed()))
                    + "; " + latencyTargets(result, delay);
            table.row(cells(clients + " concurrent sign-ins x" + rounds, Integer.toString(delay), result, jvm,
                    callsPer(before, standIn.counts(), result.allRequests()), targetsOf(delay), targets));
            noteStandIn("burst D=" + delay + " (" + clients + " clients x " + rounds + " rounds)", before, standIn,
                    result, "tenant " + CACHE_OFF + " (cache-ttl 0s)");
        }
    }

    /** Concurrent sign-ins of one new user with the cache on: each document should be fetched once. */
    private void singleFlight(StandInBackend standIn, ClosedLoopLoad load) throws Exception {
        int clients = integer("bench.single-flight.clients", 50);
        int delay = integer("bench.single-flight.delay-ms", 50);
        standIn.delay(0);
        try (MeasuredJvm jvm = proxy("single-flight", standIn)) {
            // other users first, so the 50 arrive together rather than behind the JIT
            warmUp("single-flight", load, jvm, () -> signIn(jvm, CACHE_ON, nextUser()), warmupMax);
            standIn.delay(delay);
            String user = "single-flight-" + nextUser();
            Map<String, Long> before = standIn.counts();
            ClosedLoopLoad.Result result = load.rounds(clients, () -> signIn(jvm, CACHE_ON, user), 200, 1, jvm);
            harnessOk(result, "single-flight");
            Map<String, Long> calls = delta(before, standIn.counts());
            boolean once = calls.getOrDefault("xsi Device", 0L) == 1 && calls.getOrDefault("xsi profile", 0L) == 1
                    && calls.getOrDefault("xsi BusyLampField", 0L) == 1 && calls.getOrDefault("dms 200", 0L) == 1;
            String targets = judge("each document once", once, calls.toString()) + "; "
                    + latencyTargets(result, delay);
            table.row(cells("single flight, 1 user", Integer.toString(delay), result, jvm,
                    callsPer(before, standIn.counts(), result.allRequests()), targetsOf(delay), targets));
            table.note("single flight D=" + delay + " (" + clients + " sign-ins of " + user + ", tenant " + CACHE_ON
                    + ", cache-ttl " + cacheOnTtl + "): calls per document " + calls + "; answers "
                    + result.outcomes());
        }
    }

    /**
     * The contacts web service of many users of one enterprise, answered from the directory the proxy keeps for
     * the enterprise (10,000 entries by default, walked once per directory.cache-ttl, default 10 min): first with
     * If-None-Match (304), then without (the whole JSON each time). Tokens from sign-ins, one per user, on the
     * tenant with the backend cache on (so a user's profile is read once per its cache-ttl).
     */
    private void contacts(int clients, StandInBackend standIn, ClosedLoopLoad load) throws Exception {
        int userCount = integer("bench.contacts.users", 1000);
        BenchDirectory directory = standIn.directory();
        standIn.delay(0);
        Map<String, Long> atStart = standIn.counts();
        try (MeasuredJvm jvm = proxy("contacts", standIn)) {
            List<URI> urls = contactsUrls(jvm, userCount, load);
            Map<String, Long> afterSignIns = standIn.counts();
            long firstAsked = System.nanoTime();
            HttpResponse<byte[]> first = load.sendForBytes(HttpRequest.newBuilder(urls.get(0))
                    .timeout(ClosedLoopLoad.ANSWER_TIMEOUT).build());
            double walkMs = (System.nanoTime() - firstAsked) / 1e6;
            if (first.statusCode() != 200) {
                throw new IllegalStateException("the first contacts request answered " + first.statusCode() + ": "
                        + new String(first.body(), StandardCharsets.UTF_8));
            }
            String etag = first.headers().firstValue("ETag").orElseThrow(() -> new IllegalStateException(
                    "no ETag in the first contacts answer: " + first.headers()));
            int contactIds = count(new String(first.body(), StandardCharsets.UTF_8), "\"contactId\"");
            Map<String, Long> afterFirst = standIn.counts();
            AtomicLong turn = new AtomicLong();
            Supplier<HttpRequest> notModified = () -> HttpRequest.newBuilder(
                            urls.get((int) (turn.getAndIncrement() % urls.size())))
                    .timeout(ClosedLoopLoad.ANSWER_TIMEOUT).header("If-None-Match", etag).build();
            Supplier<HttpRequest> full = () -> HttpRequest.newBuilder(
                            urls.get((int) (turn.getAndIncrement() % urls.size())))
                    .timeout(ClosedLoopLoad.ANSWER_TIMEOUT).build();
            if (load.sendForBytes(notModified.get()).statusCode() != 304) {
                throw new IllegalStateException("contacts with If-None-Match " + etag + " answered no 304");
            }

            warmUp("contacts 304", load, jvm, notModified, warmupMax);
            Map<String, Long> before304 = standIn.counts();
            ClosedLoopLoad.Result r304 = load.forDuration(clients, notModified, 304, settle, measure, jvm);
            harnessOk(r304, "contacts 304");
            Map<String, Long> after304 = standIn.counts();
            double ratio304 = floor == null ? Double.NaN : r304.perSecond() / floor.perSecond();
            // taken now: the 200s to come raise the JVM's peaks
            List<String> row304 = cells("contacts 304, " + directory.size() + " cached", "0", r304, jvm,
                    callsPer(before304, after304, r304.allRequests()), "n/a",
                    (floor == null ? "req/s >= 1/4 of floor n/a (no floor run)"
                            : judge("req/s >= 1/4 of floor", ratio304 >= 0.25,
                            BenchTable.number(ratio304, 2) + " x floor"))
                            + "; " + judge("all 304", r304.failed() == 0, r304.failed() + " not"));

            // the 200s: the same path plus the bytes; its own warm-up, shorter (most of the path is warm)
            warmUp("contacts 200", load, jvm, full, duration("bench.contacts.warmup-200-max", "15s"),
                    duration("bench.contacts.jit-quiet-200-max", "30s"));
            Map<String, Long> before200 = standIn.counts();
            ClosedLoopLoad.Result r200 = load.forDuration(clients, full, 200, settle, measure, jvm);
            harnessOk(r200, "contacts 200");
            Map<String, Long> after200 = standIn.counts();

            // one walk per directory.cache-ttl for the enterprise, over the JVM's whole run (sign-ins, warm-ups)
            long pageCalls = delta(atStart, after200).getOrDefault(StandInBackend.DIRECTORY_PAGE, 0L);
            long ttls = Math.max(1, (System.nanoTime() - firstAsked + DIRECTORY_TTL.toNanos() - 1)
                    / DIRECTORY_TTL.toNanos());
            long allowed = ttls * directory.pages();
            double ratio200 = floor == null ? Double.NaN : r200.perSecond() / floor.perSecond();
            table.row(row304);
            table.row(cells("contacts 200, " + directory.size() + " cached", "0", r200, jvm,
                    callsPer(before200, after200, r200.allRequests()), "n/a",
                    "req/s " + BenchTable.number(ratio200, 2) + " x floor (no target); "
                            + judge("directory walked once per TTL per enterprise", pageCalls <= allowed,
                            pageCalls + " page calls in this JVM, at most " + allowed)));
            String tenant = "tenant " + CACHE_ON + " (cache-ttl " + cacheOnTtl + ": a user's profile; directory"
                    + ".cache-ttl " + DIRECTORY_TTL.toMinutes() + "m, the default: the enterprise's directory)";
            table.note("contacts: " + String.join(" ", jvmFlags) + ", " + tenant + "; " + urls.size()
                    + " users of enterprise " + BenchDirectory.ENTERPRISE + ", a token each from a sign-in (stand-in "
                    + "calls " + delta(atStart, afterSignIns) + "); the directory: " + directory.size()
                    + " entries in pages of " + BenchDirectory.PAGE_SIZE + "; the first answer (the walk) in "
                    + BenchTable.number(walkMs, 0) + " ms, " + first.body().length + " bytes, " + contactIds + " contacts, ETag " + etag + ", stand-in calls "
                    + delta(afterSignIns, afterFirst) + "; directory page calls in this JVM " + pageCalls
                    + " (first answer " + pages(afterSignIns, afterFirst) + ", 304 warm-up "
                    + pages(afterFirst, before304) + ", 304 measured " + pages(before304, after304) + ", 200 warm-up "
                    + pages(after304, before200) + ", 200 measured " + pages(before200, after200) + ")");
            noteContacts("contacts 304 (" + clients + " clients, If-None-Match)", before304, after304, r304);
            noteContacts("contacts 200 (" + clients + " clients)", before200, after200, r200);
        }
    }

    /** A contacts URL per user, with the token a sign-in gave them (16 sign-ins at a time). */
    private List<URI> contactsUrls(MeasuredJvm jvm, int userCount, ClosedLoopLoad load) throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            users.add("contacts-" + nextUser());
        }
        ExecutorService signIns = Executors.newFixedThreadPool(16);
        try {
            List<Future<URI>> urls = new ArrayList<>();
            for (String user : users) {
                urls.add(signIns.submit(() -> {
                    HttpResponse<String> answer = load.send(signIn(jvm, CACHE_ON, user));
                    expect(answer, 200, "the sign-in of " + user);
                    Matcher token = TOKEN.matcher(answer.body());
                    if (!token.find()) {
                        throw new IllegalStateException("no token in the sign-in of " + user);
                    }
                    return URI.create(jvm.baseUrl() + "/services/contacts?token=" + encode(token.group(1)));
                }));
            }
            List<URI> done = new ArrayList<>();
            for (Future<URI> url : urls) {
                done.add(url.get());
            }
            return done;
        } finally {
            signIns.shutdownNow();
        }
    }

    private void noteContacts(String scenario, Map<String, Long> before, Map<String, Long> after,
                              ClosedLoopLoad.Result result) {
        Map<String, Long> calls = delta(before, after);
        long profiles = calls.getOrDefault("xsi profile", 0L);
        table.note(scenario + ": stand-in calls " + calls + " for " + result.allRequests() + " requests: profile "
                + BenchTable.number(result.allRequests() == 0 ? Double.NaN
                : (double) profiles / result.allRequests(), 3) + " per request, directory page calls "
                + calls.getOrDefault(StandInBackend.DIRECTORY_PAGE, 0L) + "; " + BenchTable.number(
                result.bytesPerAnswer(), 0) + " body bytes per answer; answers " + result.outcomes()
                + benchCpu(result) + (result.firstFailure() == null ? "" : "; first failure: "
                + result.firstFailure()));
    }

    private static long pages(Map<String, Long> before, Map<String, Long> after) {
        return delta(before, after).getOrDefault(StandInBackend.DIRECTORY_PAGE, 0L);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }

    /** Warms {@code jvm} up with {@code next} (ClosedLoopLoad#warmUp) and keeps what it took for the notes. */
    private void warmUp(String id, ClosedLoopLoad load, MeasuredJvm jvm, Supplier<HttpRequest> next,
                        Duration atMost) throws InterruptedException {
        warmUp(id, load, jvm, next, atMost, jitQuietMax);
    }

    private void warmUp(String id, ClosedLoopLoad load, MeasuredJvm jvm, Supplier<HttpRequest> next,
                        Duration atMost, Duration quietMax) throws InterruptedException {
        warmUps.put(id, load.warmUp(warmupClients, next, warmupRequests, atMost, quietMax, jvm));
    }

    private MeasuredJvm proxy(String id, StandInBackend standIn) {
        List<String> args = new ArrayList<>(List.of(
                // the limiter would count nothing here (every password is accepted), but keep it out of the way
                "--provisioning.failed-sign-ins.per-user=0",
                "--provisioning.failed-sign-ins.per-address=0"));
        for (String tenant : List.of(CACHE_OFF, CACHE_ON)) {
            String prefix = "--provisioning.tenants." + tenant + ".";
            args.add(prefix + "xsi-url=" + standIn.xsiUrl());
            args.add(prefix + "dms-hosts=" + standIn.hostAndPort());
            args.add(prefix + "use-digest-auth=true");
            args.add(prefix + "cache-ttl=" + (tenant.equals(CACHE_OFF) ? "0s" : cacheOnTtl));
        }
        List<String> extra = List.of(setting("bench.proxy-args", "").trim().split("\\s+"));
        extra.stream().filter(arg -> !arg.isEmpty()).forEach(args::add);
        return MeasuredJvm.start(id, jvmFlags, List.of("-jar", JAR.toString()), args, startTimeout);
    }

    private HttpRequest signIn(MeasuredJvm jvm, String tenant, String user) {
        return request(jvm.baseUrl() + "/provisioning/account?username=" + encode(user) + "&password="
                + encode(password) + "&cloud_id=" + tenant + "&platform=mobile&locale=en-us");
    }

    private String nextUser() {
        return "u" + users.incrementAndGet() + "@bench.example";
    }

    private static HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(ClosedLoopLoad.ANSWER_TIMEOUT).build();
    }

    private List<String> cells(String scenario, String delay, ClosedLoopLoad.Result result, MeasuredJvm jvm,
                               double callsPerSignIn, String latencyTargets, String targets) {
        double cpu = result.cpuMsPerRequest();
        double ratio = floor == null || result == floor ? Double.NaN : cpu / floor.cpuMsPerRequest();
        long heap = jvm.peakHeapMb();
        return List.of(scenario, delay, Integer.toString(result.clients()), Long.toString(result.requests()),
                Long.toString(result.failed()), BenchTable.number(result.p50Ms(), 1),
                BenchTable.number(result.p99Ms(), 1), BenchTable.number(result.perSecond(), 0),
                BenchTable.number(cpu, 2), BenchTable.number(result.jitMsPerRequest(), 2), result == floor ? "1" : BenchTable.number(ratio, 1), latencyTargets.split(
                        " / ")[0], latencyTargets.contains(" / ") ? latencyTargets.split(" / ")[1] : latencyTargets,
                BenchTable.number(callsPerSignIn, 2), heap < 0 ? "n/a" : Long.toString(heap),
                jvm.peakRssMb() + " (" + jvm.rssMb() + ")", targets);
    }

    private static String targetsOf(int delay) {
        return delay > 0 ? "<= " + (2 * delay + 5) + " / <= " + (2 * delay + 25) : "n/a";
    }

    private static String latencyTargets(ClosedLoopLoad.Result result, int delay) {
        return judge("p50", result.p50Ms() <= 2 * delay + 5, null) + ", "
                + judge("p99", result.p99Ms() <= 2 * delay + 25, null);
    }

    private static String judge(String target, boolean met, String figure) {
        return target + " " + (met ? "met" : "MISSED") + (figure == null ? "" : " (" + figure + ")");
    }

    private static double callsPer(Map<String, Long> before, Map<String, Long> after, long signIns) {
        long calls = delta(before, after).values().stream().mapToLong(Long::longValue).sum();
        return signIns == 0 ? Double.NaN : (double) calls / signIns;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((resource, count) -> {
            long d = count - before.getOrDefault(resource, 0L);
            if (d != 0) {
                delta.put(resource, d);
            }
        });
        return delta;
    }

    private void noteStandIn(String scenario, Map<String, Long> before, StandInBackend standIn,
                             ClosedLoopLoad.Result result, String proxy) {
        table.note(scenario + ": " + String.join(" ", jvmFlags) + ", " + proxy + "; stand-in calls "
                + delta(before, standIn.counts()) + " for " + result.allRequests() + " requests; answers "
                + result.outcomes() + benchCpu(result) + (result.firstFailure() == null ? "" : "; first failure: "
                + result.firstFailure()));
    }

    /** The bench JVM's own CPU (clients and stand-in) per measured request, beside the proxy's; the proxy's by thread. */
    private static String benchCpu(ClosedLoopLoad.Result result) {
        return "; proxy CPU ms/req by thread: " + result.cpuByThreadPerRequest() + "; bench JVM (clients + stand-in) CPU " + BenchTable.number(
                result.requests() == 0 ? Double.NaN : (double) result.benchCpuMs() / result.requests(), 2)
                + " ms/req";
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + " instead of " + status
                    + ": " + response.body());
        }
    }

    private static void harnessOk(ClosedLoopLoad.Result result, String scenario) {
        if (result.firstFailure() != null && result.firstFailure().startsWith("harness:")) {
            throw new IllegalStateException(scenario + ": " + result.firstFailure());
        }
    }

    private static String machine() throws IOException, InterruptedException {
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        String java = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                .lines().collect(Collectors.joining("; "));
        version.waitFor();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + java + ", "
                + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A -Dbench.* setting, or its default. */
    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int integer(String name, int fallback) {
        return Integer.parseInt(setting(name, Integer.toString(fallback)).trim());
    }

    private static Duration duration(String name, String fallback) {
        return DurationStyle.detectAndParse(setting(name, fallback).trim());
    }
}
