package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.backend.BackendCache;
import org.provproxy.callhistory.CallHistories;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The call history web service against a stand-in XSI: what XSI is asked (and when not), that the call logs are
 * read fresh on every request even where the tenant caches XSI answers, the validators (XML and JSON, content
 * changes), since as apps send it, transient trouble, and the log line. The sample folders (samples/call-history-*)
 * hold the shapes; these hold what samples cannot say.
 */
@ExtendWith(OutputCaptureExtension.class)
class CallHistoryTest extends ProxyTestSupport {

    private static final String USER = "/xsi/com.broadsoft.xsi-actions/v2.0/user/";
    private static final String ALICE = "alice@acme.example";
    private static final String PASSWORD = "x-fake-portal-alice";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    BackendCache backendCache;

    @Autowired
    CallHistories callHistories;

    @BeforeEach
    void reset() {
        BACKEND.server().resetAll();
        backendCache.clear();
        callHistories.clear();
        BACKEND.server().stubFor(any(urlPathMatching("/xsi/.*")).atPriority(9).willReturn(aResponse().withStatus(401)));
    }

    @Test
    void xsiIsAskedForTheCallLogsWithTheTokensCredentialsOncePerRequestEvenWhereTheTenantCaches() throws Exception {
        // tenant 'cached' keeps XSI answers for the default cache-ttl: the call logs must not be among them
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"));
        HttpResponse<byte[]> first = history("cached", Map.of(), Map.of());
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"),
                placed("2025550102", "Carol", "2026-03-02T11:00:00Z", "2:0"));
        HttpResponse<byte[]> second = history("cached", Map.of(), Map.of());

        assertThat(first.statusCode()).as(body(first)).isEqualTo(200);
        assertThat(body(first)).contains("id=\"placed-1:0\"").doesNotContain("placed-2:0");
        assertThat(body(second)).as("a call that just ended is in the next answer").contains("id=\"placed-2:0\"");
        assertThat(second.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
        List<LoggedRequest> asked = xsiRequests();
        assertThat(asked).hasSize(2).allSatisfy(request -> {
            assertThat(request.getMethod().value()).isEqualTo("GET");
            assertThat(request.getUrl()).isEqualTo(USER + ALICE + "/directories/CallLogs");
            assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString((ALICE + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void theSameLogsKeepTheirValidatorsAndAnAppHoldingThemGets304() {
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"));
        HttpResponse<byte[]> first = history("acme", Map.of(), Map.of());
        HttpResponse<byte[]> again = history("acme", Map.of(), Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<byte[]> held = history("acme", Map.of(), Map.of("If-None-Match", etag));
        HttpResponse<byte[]> heldSince = history("acme", Map.of(), Map.of("If-Modified-Since", lastModified));
        HttpResponse<byte[]> other = history("acme", Map.of(), Map.of("If-None-Match", "\"something-else\""));

        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(again.headers().firstValue("Last-Modified")).hasValue(lastModified);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(held.statusCode()).isEqualTo(304);
        assertThat(held.body()).isEmpty();
        assertThat(held.headers().firstValue("ETag")).hasValue(etag);
        assertThat(held.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
        assertThat(heldSince.statusCode()).isEqualTo(304);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(xsiRequests()).as("every request reads the logs").hasSize(5);
    }

    @Test
    void xmlAndJsonOfTheSameCallsAreTwoRepresentationsWithTheirOwnETags() throws Exception {
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"));
        HttpResponse<byte[]> xml = history("acme", Map.of(), Map.of());
        HttpResponse<byte[]> json = history("acme", Map.of(), Map.of("Accept", "application/json"));
        String xmlTag = xml.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> jsonWithXmlTag = history("acme", Map.of(),
                Map.of("Accept", "application/json", "If-None-Match", xmlTag));

        assertThat(xml.headers().firstValue("Content-Type")).get().asString().startsWith("application/xml");
        assertThat(json.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
        assertThat(json.headers().firstValue("ETag")).get().isNotEqualTo(xmlTag);
        assertThat(jsonWithXmlTag.statusCode()).as("the XML's tag does not hold the JSON").isEqualTo(200);
        JsonNode calls = JSON.readTree(json.body()).get("calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("id").asText()).isEqualTo("placed-1:0");
        assertThat(calls.get(0).get("time").asText()).isEqualTo("2026-03-02T10:00:00.000Z");
    }

    @Test
    void aSinceWhoseOffsetPlusArrivedAsASpaceIsStillRead() {
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"),
                placed("2025550102", "Carol", "2026-03-02T11:00:00Z", "2:0"));

        // written unencoded in a query, the '+' of '+01:00' reads as a space
        HttpResponse<byte[]> answer = history("acme", Map.of("since", "2026-03-02T11:30:00 01:00"), Map.of());

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(body(answer)).contains("placed-2:0").doesNotContain("placed-1:0");
    }

    @Test
    void aBadSinceIsRefusedInTheSubscribersLanguageBeforeXsiIsAsked() {
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"));

        for (String bad : List.of("yesterday", "2026-03-02", "2026-03-02T10:00:00", "0000-01-01T00:00:00Z",
                "2026-13-02T10:00:00Z", "1700000000")) {
            HttpResponse<byte[]> answer = history("acme", Map.of("since", bad, "locale", "de"), Map.of());
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(body(answer)).as(bad).isEqualTo("<error><message>Der Parameter since ist keine g\u00fcltige "
                    + "Zeitangabe. Senden Sie eine ISO-8601-Zeit mit Zeitzone, etwa 2010-03-26T10:09:39Z.</message></error>");
        }
        assertThat(xsiRequests()).isEmpty();
        // empty: no filter
        assertThat(history("acme", Map.of("since", ""), Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void xsiTroubleIsTryAgainLaterNeverALogoutAnd304ForAnAppWithItsCopy() {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/directories/CallLogs")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        HttpResponse<byte[]> plain = history("acme", Map.of(), Map.of());
        HttpResponse<byte[]> holding = history("acme", Map.of(), Map.of("If-None-Match", "\"held-by-the-app\""));

        assertThat(plain.statusCode()).isEqualTo(503);
        assertThat(plain.headers().firstValue("Retry-After")).isPresent();
        assertThat(holding.statusCode()).isEqualTo(304);
        assertThat(holding.headers().firstValue("ETag")).hasValue("\"held-by-the-app\"");
    }

    @Test
    void oneInfoLinePerAnswerAndNeverTheToken(CapturedOutput output) {
        callLogs(placed("2025550101", "Bob", "2026-03-02T10:00:00Z", "1:0"));
        String token = token("acme");
        int before = output.getOut().length();

        HttpResponse<byte[]> answer = proxy().send("POST", "/services/call-history", Map.of("token", token), Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        String logged = output.getOut().substring(before);
        assertThat(logged.lines().filter(line -> line.contains(" INFO "))
                .filter(line -> line.contains("call-history tenant=acme user=" + ALICE))).hasSize(1);
        assertThat(logged).doesNotContain(token, PASSWORD);
    }

    private HttpResponse<byte[]> history(String tenant, Map<String, String> params, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(params);
        all.put("token", token(tenant));
        return proxy().send("GET", "/services/call-history", all, headers);
    }

    private String token(String tenant) {
        return tokens.seal(new AccountToken(tenant, ALICE, PASSWORD, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                "", null));
    }

    private static void callLogs(String... placed) {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CallLogs xmlns=\"http://schema.broadsoft.com/xsi\">"
                + "<placed>" + String.join("", placed) + "</placed><received/><missed/></CallLogs>";
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/directories/CallLogs"))
                .withBasicAuth(ALICE, PASSWORD).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(body)));
    }

    private static String placed(String number, String name, String time, String id) {
        return "<callLogsEntry><countryCode>1</countryCode><phoneNumber>" + number + "</phoneNumber><name>" + name
                + "</name><time>" + time + "</time><callLogId>" + id + "</callLogId></callLogsEntry>";
    }

    private static List<LoggedRequest> xsiRequests() {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().startsWith(USER)).toList();
    }

    private static String body(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
