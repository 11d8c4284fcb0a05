package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.Test;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.ops.SampleCase;

/**
 * After an XSI or DMS node restarts, a pooled connection dies without answering: an idempotent GET is sent once
 * more on a new connection. Never a POST (click-to-dial), never after an answer such as 503, and only once.
 */
class StaleConnectionsTest extends ProxyTestSupport {

    private static final String PROFILE = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/profile";
    private static final String DEVICE_FILE = "/dms/uc-one-mobile/mobile-config.xml";

    /** {@code stub} answers nothing at all the first time (the connection closes), then steps aside. */
    private static void diesOnce(MappingBuilder stub) {
        BACKEND.server().stubFor(stub.atPriority(0).inScenario("node restart").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("restarted"));
    }

    private HttpResponse<byte[]> signIn(SampleCase sample) {
        return proxy().send(SampleCall.of(sample, tokens));
    }

    @Test
    void anXsiGetOnAConnectionThatDiedIsSentOnceMore() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        diesOnce(get(urlPathEqualTo(PROFILE)));

        HttpResponse<byte[]> response = signIn(sample);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BACKEND.server().findAll(getRequestedFor(urlPathEqualTo(PROFILE)))).hasSize(2);
    }

    @Test
    void aDeviceFileGetToo() {
        SampleCase sample = sample("basic-dms");
        BACKEND.serve(sample);
        diesOnce(get(urlPathEqualTo(DEVICE_FILE)));

        HttpResponse<byte[]> response = signIn(sample);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BACKEND.server().findAll(getRequestedFor(urlPathEqualTo(DEVICE_FILE)))).hasSize(2);
    }

    @Test
    void onlyOnce() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        BACKEND.server().stubFor(get(urlPathEqualTo(PROFILE)).atPriority(0)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        assertThat(signIn(sample).statusCode()).isEqualTo(503);
        assertThat(BACKEND.server().findAll(getRequestedFor(urlPathEqualTo(PROFILE)))).hasSize(2);
    }

    @Test
    void neverAfterAnAnswer() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        BACKEND.server().stubFor(get(urlPathEqualTo(PROFILE)).atPriority(0)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));

        assertThat(signIn(sample).statusCode()).isEqualTo(503);
        assertThat(BACKEND.server().findAll(getRequestedFor(urlPathEqualTo(PROFILE)))).hasSize(1);
    }

    @Test
    void neverForClickToDial() {
        BACKEND.serve(sample("mobile-three-devices"));
        String callsNew = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/calls/new";
        diesOnce(post(urlPathEqualTo(callsNew)));
        String token = tokens.seal(new AccountToken("acme", "alice@acme.example", "x-fake-portal-alice",
                Instant.now(), "", null));

        HttpResponse<byte[]> response = proxy().send("POST", "/provisioning/actions/call-from-other-phone",
                Map.of("token", token, "number", "+12025550199"), Map.of());

        assertThat(response.statusCode()).as("a call is never placed twice").isEqualTo(503);
        AnswerAssertions.assertWellFormedAnswer(response);
        assertThat(BACKEND.server().findAll(postRequestedFor(urlPathEqualTo(callsNew)))).hasSize(1);
    }
}
