package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.account.AccountTokens.AccountToken;

/** The web service behind the "call from my other phone" dial action: XSI click-to-dial with the token's user. */
class DialActionTest extends ProxyTestSupport {

    private static final String CALLS_NEW = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/calls/new";
    private String token;

    @BeforeEach
    void backend() {
        BACKEND.serve(sample("mobile-three-devices"));
        BACKEND.server().stubFor(post(urlPathEqualTo(CALLS_NEW)).withBasicAuth("alice@acme.example", "x-fake-portal-alice")
                .atPriority(1).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/xml")
                        .withBody("<CallStartInfo xmlns=\"http://schema.broadsoft.com/xsi\"><callId>callhalf-1</callId>"
                                + "<externalTrackingId>1</externalTrackingId></CallStartInfo>")));
        token = tokens.seal(new AccountToken("acme", "alice@acme.example", "x-fake-portal-alice", Instant.now(), "", null));
    }

    private HttpResponse<byte[]> dial(String token, String number) {
        return proxy().send("POST", "/provisioning/actions/call-from-other-phone",
                Map.of("token", token, "number", number), Map.of("Accept-Language", "de"));
    }

    @Test
    void startsAClickToDialCallForTheTokensUser() {
        HttpResponse<byte[]> response = dial(token, "+12025550199");

        assertThat(response.statusCode()).isEqualTo(200);
        AnswerAssertions.assertSameXml("<result><message>Ihr anderes Telefon klingelt jetzt: Nehmen Sie ab, dann "
                + "wird der Anruf verbunden.</message></result>", new String(response.body(), StandardCharsets.UTF_8));
        BACKEND.server().verify(1, postRequestedFor(urlPathEqualTo(CALLS_NEW))
                .withQueryParam("address", equalTo("+12025550199")));
    }

    @Test
    void dialsANumberAsPeopleWriteIt() {
        // spaces, dashes, dots and parentheses go (DialNumbers), a leading + stays
        assertThat(dial(token, " +1 (202) 555-0199 ").statusCode()).isEqualTo(200);
        assertThat(dial(token, "202.555.0198").statusCode()).isEqualTo(200);

        BACKEND.server().verify(1, postRequestedFor(urlPathEqualTo(CALLS_NEW))
                .withQueryParam("address", equalTo("+12025550199")));
        BACKEND.server().verify(1, postRequestedFor(urlPathEqualTo(CALLS_NEW))
                .withQueryParam("address", equalTo("2025550198")));
    }

    @Test
    void refusesWhatCannotBeDialedOrOpened() {
        assertThat(dial(token, "12 34; rm").statusCode()).isEqualTo(400);
        assertThat(dial(token + "x", "+12025550199").statusCode()).isEqualTo(401);
        String stale = tokens.seal(new AccountToken("acme", "alice@acme.example", "x-fake-old-password", Instant.now(), "", null));
        HttpResponse<byte[]> wrongPassword = dial(stale, "+12025550199");
        assertThat(wrongPassword.statusCode()).as("no logout status outside re-provisioning").isEqualTo(403);
        AnswerAssertions.assertWellFormedAnswer(wrongPassword);
        BACKEND.server().verify(0, postRequestedFor(urlPathEqualTo(CALLS_NEW))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("alice@acme.example", "x-fake-portal-alice")));
    }
}
