package org.provproxy;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.provproxy.ops.SampleCase;

/**
 * Prints what a sign-in costs the proxy itself: XSI and the DMS are the loopback stand-in answering at once
 * (Digest challenge included), so the figures are our own work plus loopback HTTP. Not a test: it asserts nothing
 * about speed. Run: ./mvnw -q test -Dtest=SignInBenchmark -Dbenchmark=true
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SignInBenchmark extends ProxyTestSupport {

    @Test
    void signInLatencyAndThroughput() throws Exception {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        SampleCall call = SampleCall.of(sample, tokens);
        ProxyClient client = proxy();
        for (int i = 0; i < 200; i++) {
            expectOk(client.send(call));
        }
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long start = System.nanoTime();
            expectOk(client.send(call));
            micros.add((System.nanoTime() - start) / 1000);
        }
        Collections.sort(micros);
        System.out.printf("sign-in, one at a time (500): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms%n",
                micros.get(250) / 1000.0, micros.get(450) / 1000.0, micros.get(495) / 1000.0);

        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int clients : new int[] {8, 32}) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            int total = 1000;
            long cpu = os.getProcessCpuTime();
            long proxyCpu0 = proxyCpu();
            long start = System.nanoTime();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                all.add(CompletableFuture.runAsync(() -> expectOk(client.send(call)), pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            System.out.printf("proxy threads' CPU per sign-in: %.2f ms%n", (proxyCpu() - proxyCpu0) / 1e6 / total);
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            System.out.printf("sign-in, %d clients (%d): %.0f sign-ins/s, %.1f ms CPU per sign-in "
                    + "(proxy, stand-in and client together: an upper bound of the proxy's own work)%n",
                    clients, total, total / seconds, (os.getProcessCpuTime() - cpu) / 1e6 / total);
        }
        // the stand-in alone: the five requests a sign-in makes (3 XSI, DMS challenge + file), one after the other
        java.net.http.HttpClient direct = java.net.http.HttpClient.newHttpClient();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (sample.backend("xsi.user") + ":" + sample.backend("xsi.password")).getBytes());
        String user = BACKEND.xsiUrl() + "/v2.0/user/" + sample.backend("xsi.user");
        List<Long> backend = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long start = System.nanoTime();
            for (String resource : new String[] {"/profile/Device", "/profile", "/services/BusyLampField"}) {
                direct.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(user + resource))
                        .header("Authorization", auth).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            }
            for (int j = 0; j < 2; j++) {
                direct.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(BACKEND.baseUrl()
                        + "/dms/bc-mobile/mobile-config.xml")).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            }
            backend.add((System.nanoTime() - start) / 1000);
        }
        Collections.sort(backend);
        System.out.printf("the stand-in alone, 5 sequential requests: p50 %.1f ms (part of each sign-in above)%n",
                backend.get(150) / 1000.0);
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        System.out.printf("heap in use after the runs: %d MiB%n", (runtime.totalMemory() - runtime.freeMemory()) >> 20);
    }

    private static void expectOk(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("sign-in answered " + response.statusCode());
        }
    }

    /** CPU time of the threads that run the proxy's side (request executor, walk pool, Tomcat, HTTP client). */
    static long proxyCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().matches("task-.*|.*Multicast.*|http-nio.*|backend.*|Camel.*")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(cpu, 0);
            }
        }
        return sum;
    }
}
