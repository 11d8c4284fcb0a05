package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/**
 * provisioning.backend-timeout (1 s in the tests) is the budget of a whole backend call, not of each socket read:
 * a backend that trickles its answer is cut off at the budget and the app gets the usual transient answer.
 */
class DeadlinesTest extends ProxyTestSupport {

    private static final String PROFILE = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/profile";
    /** Else the stand-in compresses the answer, which holds the trickle back until it has enough to compress. */
    private static final String IDENTITY = "identity";

    /** Sends the sample's request; the answer and how long it took. */
    private Timed signIn(SampleCase sample) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = proxy().send(SampleCall.of(sample, tokens));
        return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }

    private record Timed(HttpResponse<byte[]> response, Duration took) {
    }

    private static void assertUnavailableWithin(Timed answer, Duration limit) {
        assertThat(answer.response().statusCode()).isEqualTo(503);
        assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("30");
        AnswerAssertions.assertWellFormedAnswer(answer.response());
        assertThat(answer.took()).as("answered after %s", answer.took()).isLessThan(limit);
    }

    @Test
    void anXsiAnswerTricklingInIsCutAtTheBackendTimeout() throws IOException {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        // each piece comes well within a read timeout of 1 s; all of it takes 6 s
        BACKEND.server().stubFor(get(urlPathEqualTo(PROFILE)).atPriority(0).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withHeader("Content-Encoding", IDENTITY)
                .withBody(Files.readAllBytes(sample.folder().resolve("backend/xsi/profile.xml")))
                .withChunkedDribbleDelay(20, 6000)));

        assertUnavailableWithin(signIn(sample), Duration.ofMillis(3500));
    }

    @Test
    void aDeviceFileTricklingInIsCutAtTheBackendTimeout() throws IOException {
        SampleCase sample = sample("basic-dms");
        BACKEND.serve(sample);
        BACKEND.server().stubFor(get(urlPathEqualTo("/dms/uc-one-mobile/mobile-config.xml")).atPriority(0)
                .withBasicAuth(sample.backend("dms.user"), sample.backend("dms.password"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withHeader("Content-Encoding", IDENTITY)
                        .withBody(Files.readAllBytes(sample.folder().resolve("backend/dms/uc-one-mobile/mobile-config.xml")))
                        .withChunkedDribbleDelay(20, 6000)));

        assertUnavailableWithin(signIn(sample), Duration.ofMillis(3500));
    }
}
