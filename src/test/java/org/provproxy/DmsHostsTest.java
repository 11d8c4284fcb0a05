package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.ops.SampleCase;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A device's deviceTypeUrl comes from platform data and receives the device's credentials: device files are fetched
 * only from the tenant's dms-hosts (by default the XSI host, 127.0.0.1 in the tests), redirects included. The
 * refusal itself: sample dms-host-not-allowed.
 */
@ExtendWith(OutputCaptureExtension.class)
class DmsHostsTest extends ProxyTestSupport {

    private static final String DEVICE_FILE = "/dms/uc-one-mobile/mobile-config.xml";

    private HttpResponse<byte[]> signIn(SampleCase sample) {
        return proxy().send(SampleCall.of(sample, tokens));
    }

    /** The basic-dms sample, its device file first answered by a redirect to {@code location}. */
    private SampleCase redirectingTo(String location) {
        SampleCase sample = sample("basic-dms");
        BACKEND.serve(sample);
        BACKEND.server().stubFor(get(urlPathEqualTo(DEVICE_FILE)).atPriority(0)
                .willReturn(aResponse().withStatus(302).withHeader("Location", location)));
        return sample;
    }

    /** The dms-host-not-allowed sample, its device's deviceTypeUrl naming {@code host} (outside dms-hosts). */
    private SampleCase deviceFileOn(String host) throws IOException {
        SampleCase sample = sample("dms-host-not-allowed");
        BACKEND.serve(sample);
        String devices = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/profile/Device";
        String listed = Files.readString(sample.folder().resolve("backend/xsi/profile/Device.xml"))
                .replace("http://127.0.0.2:9/", "http://" + host + ":9/");
        BACKEND.server().stubFor(get(urlPathEqualTo(devices)).atPriority(0)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(listed)));
        return sample;
    }

    @Test
    void aRedirectWithinTheDmsHostsIsFollowed() throws IOException {
        SampleCase sample = redirectingTo(BACKEND.baseUrl() + "/dms/moved/mobile-config.xml");
        BACKEND.server().stubFor(get(urlPathEqualTo("/dms/moved/mobile-config.xml"))
                .withBasicAuth(sample.backend("dms.user"), sample.backend("dms.password"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(Files.readAllBytes(sample.folder().resolve("backend" + DEVICE_FILE)))));

        assertThat(signIn(sample).statusCode()).isEqualTo(200);
    }

    @Test
    void aRedirectElsewhereIsNotFollowed() {
        // followed, it would find nothing listening there: 503; not followed, the redirect is a refusal: 502
        HttpResponse<byte[]> response = signIn(redirectingTo("http://127.0.0.2:9/dms/mobile-config.xml"));

        assertThat(response.statusCode()).isEqualTo(502);
        AnswerAssertions.assertWellFormedAnswer(response);
    }

    @Test
    void aRefusedHostIsLoggedOncePerHostNotPerRequest(CapturedOutput output) throws IOException {
        SampleCase sample = deviceFileOn("127.0.0.77");

        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> response = signIn(sample);
            assertThat(response.statusCode()).isEqualTo(409);
        }

        assertThat(output.getAll().lines().filter(line -> line.contains("DMS host 127.0.0.77"))).singleElement()
                .asString().contains("WARN", "provisioning.tenants.acme.dms-hosts", "device=alice-bc-mobile");
    }

    @Test
    void logLinesOfTheWalksThreadsCarryTheRequestId(CapturedOutput output) throws IOException {
        SampleCase sample = deviceFileOn("127.0.0.78");
        SampleCall call = SampleCall.of(sample, tokens);
        java.util.Map<String, String> headers = new java.util.HashMap<>(call.headers());
        headers.put("X-Request-Id", "walk-thread-4711");

        HttpResponse<byte[]> response = proxy().send(sample.method(), sample.path(), call.params(), headers);

        assertThat(response.statusCode()).isEqualTo(409);
        // written by the walk's device-file branch, on another thread than the request's (task-N)
        assertThat(output.getAll().lines().filter(line -> line.contains("DMS host 127.0.0.78"))).singleElement()
                .asString().contains("[walk-thread-4711]").doesNotContainPattern("\\[\\s*task-\\d+\\]");
        assertThat(output.getAll().lines().filter(line -> line.contains("[walk-thread-4711]"))).hasSizeGreaterThan(1);
    }
}
