package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

/**
 * provisioning.request-deadline bounds the whole request: calls that each stay within backend-timeout, one after
 * the other, are aborted when the request's deadline passes, and the answer comes from the error table. The
 * servlet's own async timeout, configured shorter here, never answers first.
 */
@TestPropertySource(properties = {
    "provisioning.request-deadline=1s",
    "spring.mvc.async.request-timeout=500ms"
})
class RequestDeadlineTest extends ProxyTestSupport {

    @Test
    void theRequestDeadlineAnswersWithTheErrorTable() {
        // every XSI call takes 600 ms, well within the 1 s backend timeout; the device file, as long, comes after
        // the devices, so the walk needs over 1.2 s
        SampleCase sample = sample("basic-dms");
        // warm: the first sign-ins of a fresh application take longer than this short deadline for reasons of their own
        BACKEND.serve(sample);
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy().send(SampleCall.of(sample, tokens)).statusCode() == 200);
        BACKEND.serve(sample, 600);
        BACKEND.server().stubFor(get(urlPathEqualTo("/dms/uc-one-mobile/mobile-config.xml")).atPriority(0)
                .withBasicAuth(sample.backend("dms.user"), sample.backend("dms.password"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(read(sample, "backend/dms/uc-one-mobile/mobile-config.xml")).withFixedDelay(600)));

        long start = System.nanoTime();
        HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/account",
                Map.of("username", "carol", "password", sample.backend("xsi.password"), "cloud_id", "basicco"),
                Map.of("X-Request-Id", "deadline-test-1"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("deadline-test-1");
        AnswerAssertions.assertSameXml("<error><message>The phone system is not reachable right now. Please try "
                + "again in a few minutes.</message></error>", body);
        assertThat(took).as("answered after %s", took).isBetween(Duration.ofMillis(950), Duration.ofMillis(3000));
    }

    private static byte[] read(SampleCase sample, String file) {
        try {
            return Files.readAllBytes(sample.folder().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
