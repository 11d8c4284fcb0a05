package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

/**
 * A walk's branch holds no thread while it waits for XSI or the DMS: 40 sign-ins at once against a backend that
 * takes 300 ms per answer are all served in about one walk's time, their XSI calls all open at the stand-in
 * together. Blocked branches would let at most as many calls be open at a time as there are threads to block (with
 * Camel's pool at 4: 40 sign-ins x 3 branches x 300 ms / 4 threads, about 9 s), so the test asserts how many calls
 * the stand-in was answering at once. The branches start on the thread that reaches the walk (walk/BranchStarts), one
 * after the other, and still overlap: each lets go at its call.
 */
@TestPropertySource(properties = {
    // were the branches to run on Camel's pool again, blocked ones would queue behind its 4 threads
    "camel.threadpool.pool-size=4",
    "camel.threadpool.max-pool-size=4",
    "provisioning.backend-timeout=5s"
})
class NonBlockingWalkTest extends ProxyTestSupport {

    private static final int SIGN_INS = 40;
    private static final int DELAY_MS = 300;
    private static final String DEVICE_FILE = "/dms/uc-one-mobile/mobile-config.xml";

    @Test
    void manyConcurrentSignInsDoNotQueueBehindBlockedThreads() throws Exception {
        SampleCase sample = sample("basic-dms");
        // warm: the first sign-ins of a fresh application take longer for reasons of their own
        BACKEND.serve(sample);
        assertThat(proxy().send(SampleCall.of(sample, tokens)).statusCode()).isEqualTo(200);

        BACKEND.serve(sample, DELAY_MS);
        BACKEND.server().stubFor(get(urlPathEqualTo(DEVICE_FILE)).atPriority(0)
                .withBasicAuth(sample.backend("dms.user"), sample.backend("dms.password"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(read(sample)).withFixedDelay(DELAY_MS)));

        ExecutorService clients = Executors.newFixedThreadPool(SIGN_INS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<CompletableFuture<HttpResponse<byte[]>>> signIns = IntStream.range(0, SIGN_INS)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return proxy().send(SampleCall.of(sample, tokens));
                    }, clients)).toList();
            long begin = System.nanoTime();
            start.countDown();
            CompletableFuture.allOf(signIns.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - begin);

            assertThat(signIns).allSatisfy(response -> assertThat(response.join().statusCode()).isEqualTo(200));
            List<LoggedRequest> xsi = requests(SampleBackend.XSI_ROOT);
            assertThat(xsi).as("devices, profile and BLF of each sign-in").hasSize(3 * SIGN_INS);
            assertThat(requests("/dms/")).hasSize(SIGN_INS);
            // far more calls were open at the stand-in at once than the walk has threads (blocked branches: 4)
            assertThat(mostOpenAtOnce()).as("backend calls open at the stand-in at once").isGreaterThan(2 * 4);
            // a walk takes two answers one after the other (devices, then the device file): 600 ms, plus the CPU
            // of 40 sign-ins; only a generous bound here (a loaded machine), the overlap above is the proof
            assertThat(took).as("all %s sign-ins answered after %s", SIGN_INS, took)
                    .isLessThan(Duration.ofSeconds(15));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void oneSignInsBranchesStartOnItsOwnThreadAndStillCallAtOnce() throws Exception {
        SampleCase sample = sample("basic-dms");
        BACKEND.serve(sample, DELAY_MS);

        assertThat(proxy().send(SampleCall.of(sample, tokens)).statusCode()).isEqualTo(200);

        // devices, profile and BLF were open at the stand-in together (then the device file, after devices)
        assertThat(mostOpenAtOnce()).as("backend calls of one sign-in open at once").isGreaterThanOrEqualTo(3);
        // and no thread of a Camel pool was started for them
        assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
                .noneMatch(name -> name.startsWith("Camel") && (name.endsWith("Multicast") || name.endsWith("Split")));
    }

    private static void await(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] read(SampleCase sample) {
        try {
            return Files.readAllBytes(sample.folder().resolve("backend" + DEVICE_FILE));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The most calls the stand-in was answering at the same time (each from its arrival to its answer). */
    private static int mostOpenAtOnce() {
        List<long[]> edges = new java.util.ArrayList<>();
        for (ServeEvent event : BACKEND.server().getAllServeEvents()) {
            long arrived = event.getRequest().getLoggedDate().getTime();
            edges.add(new long[] {arrived, 1});
            edges.add(new long[] {arrived + event.getTiming().getTotalTime(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int most = 0;
        for (long[] edge : edges) {
            open += (int) edge[1];
            most = Math.max(most, open);
        }
        return most;
    }

    private static List<LoggedRequest> requests(String prefix) {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith(prefix)).toList();
    }
}
