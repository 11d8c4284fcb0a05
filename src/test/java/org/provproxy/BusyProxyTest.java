package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

/**
 * With every request thread busy, the next request is refused before any route: 503 with Retry-After and the
 * routes' {@code <error><message>}, never a 500. (One request thread here; the proxy's default is 1,200.)
 */
@TestPropertySource(properties = {
    "spring.task.execution.pool.core-size=1",
    "spring.task.execution.pool.max-size=1",
    "spring.task.execution.pool.queue-capacity=0"})
class BusyProxyTest extends ProxyTestSupport {

    @Test
    void aRequestFindingEveryThreadBusyGets503WithRetryAfter() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample, 700);
        SampleCall call = SampleCall.of(sample, tokens);
        CompletableFuture<HttpResponse<byte[]>> slow = CompletableFuture.supplyAsync(() -> proxy().send(call));
        // the one request thread is taken once the slow sign-in has reached XSI
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !BACKEND.server().getAllServeEvents().isEmpty());

        HttpResponse<byte[]> refused = proxy().send("GET", "/provisioning/account", call.params(),
                Map.of("X-Request-Id", "busy-1"));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("X-Request-Id")).hasValue("busy-1");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).startsWith("<error><message>");
        assertThat(slow.join().statusCode()).isEqualTo(200);
    }
}
