package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.account.AccountTokens.AccountToken;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

/**
 * The BroadWorks Anywhere locations against the stand-in XSI, for what the samples (samples/anywhere-*) cannot say:
 * the document XSI received (element names and their schema order, namespace, xsi:nil for a cleared number),
 * compared with XMLUnit as identical, so an element out of order or misspelt fails; which calls were made in which
 * order; values refused before XSI; XSI's refusals as 409; the log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class AnywhereLocationsTest extends ProxyTestSupport {

    private static final String USER = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/";
    private static final String LOCATIONS = USER + "services/BroadWorksAnywhere/Location";
    private static final BasicCredentials ALICE = new BasicCredentials("alice@acme.example", "x-fake-portal-alice");
    private static final String XSI = "http://schema.broadsoft.com/xsi";

    /** Whether this JVM's proxy has called XSI once already. */
    private static boolean warm;

    @BeforeEach
    void warmUp() {
        if (!warm) {
            // the first XSI call of a cold JVM can take longer than the tests' 1 s backend-timeout on a busy machine
            BACKEND.serve(sample("anywhere-location-change-description"));
            proxy().send("POST", "/services/features/anywhere/locations/2025550123/disable",
                    Map.of("token", token()), Map.of());
            warm = true;
        }
    }

    @Test
    void addingPostsABroadWorksAnywhereLocationInSchemaOrderThenReadsItBack() {
        replay(sample("anywhere-location-add"));

        List<LoggedRequest> received = received();
        assertThat(received).extracting(r -> r.getMethod().getName() + " " + r.getUrl())
                .containsExactly("POST " + LOCATIONS, "GET " + LOCATIONS + "/+12025550177");
        LoggedRequest post = received.get(0);
        assertThat(post.getHeader("Content-Type")).startsWith("application/xml").containsIgnoringCase("UTF-8");
        assertThat(post.containsHeader("Authorization")).isTrue();
        assertIdentical("<BroadWorksAnywhereLocation xmlns=\"" + XSI + "\">"
                + "<phoneNumber>+12025550177</phoneNumber><description>Cabin</description><active>true</active>"
                + "<outboundAlternateNumber>2025550100</outboundAlternateNumber></BroadWorksAnywhereLocation>",
                post.getBodyAsString());
        BACKEND.server().verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo(LOCATIONS)).withBasicAuth(ALICE));
    }

    @Test
    void aChangeSendsOnlyWhatChangesAfterReadingTheLocationsAndThenReadsTheLocationBack() {
        replay(sample("anywhere-location-change-description"));

        List<LoggedRequest> received = received();
        assertThat(received).extracting(r -> r.getMethod().getName() + " " + r.getUrl()).containsExactly(
                "GET " + USER + "services/BroadWorksAnywhere", "PUT " + LOCATIONS + "/2025550123",
                "GET " + LOCATIONS + "/2025550123");
        assertIdentical("<BroadWorksAnywhereLocation xmlns=\"" + XSI + "\"><description>Home office</description>"
                + "</BroadWorksAnywhereLocation>", received.get(1).getBodyAsString());
    }

    /**
     * Fields given in any order go in the schema's; an optional number sent empty is cleared (xsi:nil); a new
     * number is sent as phoneNumber and the location is read back under it; BroadWorksCallControl spelt as XSI does.
     */
    @Test
    void everyFieldGoesInTheSchemasOrderAndAClearedNumberIsNil() {
        BACKEND.serve(sample("anywhere-location-change-description"));
        BACKEND.server().stubFor(get(urlPathEqualTo(LOCATIONS + "/2025550124")).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/xml").withBody("<BroadWorksAnywhereLocation xmlns=\"" + XSI
                        + "\"><phoneNumber>2025550124</phoneNumber><description>Desk</description><active>false"
                        + "</active><BroadWorksCallControl>true</BroadWorksCallControl></BroadWorksAnywhereLocation>")));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token());
        form.put("answerConfirmationRequired", "TRUE");
        form.put("broadworksCallControl", "true");
        form.put("outboundAlternateNumber", "");
        form.put("useDiversionInhibitor", "false");
        form.put("active", "false");
        form.put("description", " Desk ");
        form.put("phoneNumber", "(202) 555-0124");
        form.put("_method", "PUT");

        HttpResponse<byte[]> answer = proxy().send("POST", "/services/features/anywhere/locations/2025550123", form,
                Map.of("Accept", "application/json"));

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(body(answer)).isEqualTo("{\"phoneNumber\":\"2025550124\",\"description\":\"Desk\",\"active\":false,"
                + "\"outboundAlternateNumber\":\"\",\"broadworksCallControl\":true,\"useDiversionInhibitor\":false,"
                + "\"answerConfirmationRequired\":false}");
        List<LoggedRequest> received = received();
        assertThat(received).extracting(r -> r.getMethod().getName() + " " + r.getUrl()).containsExactly(
                "GET " + USER + "services/BroadWorksAnywhere", "PUT " + LOCATIONS + "/2025550123",
                "GET " + LOCATIONS + "/2025550124");
        assertIdentical("<BroadWorksAnywhereLocation xmlns=\"" + XSI + "\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<phoneNumber>2025550124</phoneNumber><description>Desk</description><active>false</active>"
                + "<outboundAlternateNumber xsi:nil=\"true\"/><BroadWorksCallControl>true</BroadWorksCallControl>"
                + "<useDiversionInhibitor>false</useDiversionInhibitor>"
                + "<answerConfirmationRequired>true</answerConfirmationRequired></BroadWorksAnywhereLocation>",
                received.get(1).getBodyAsString());
    }

    @Test
    void disablingPutsActiveFalseAndRemovingDeletesWithNoBody() {
        replay(sample("anywhere-location-disable"));
        assertIdentical("<BroadWorksAnywhereLocation xmlns=\"" + XSI + "\"><active>false</active>"
                + "</BroadWorksAnywhereLocation>", received().get(1).getBodyAsString());

        replay(sample("anywhere-location-remove"));
        List<LoggedRequest> received = received();
        assertThat(received).extracting(r -> r.getMethod().getName() + " " + r.getUrl()).containsExactly(
                "GET " + USER + "services/BroadWorksAnywhere", "DELETE " + LOCATIONS + "/2025550123");
        assertThat(received.get(1).getBody()).isEmpty();
    }

    @Test
    void valuesXsiWouldNotTakeAreRefusedBeforeXsiNamingTheField() {
        BACKEND.serve(sample("anywhere-location-change-description"));
        String token = token();
        record Bad(String path, String field, String value, String named) {
        }
        String one = "/services/features/anywhere/locations/2025550123";
        for (Bad bad : List.of(
                new Bad("/services/features/anywhere/locations", "phoneNumber", "12ab", "phoneNumber"),
                new Bad("/services/features/anywhere/locations", "phoneNumber", "1".repeat(23), "phoneNumber"),
                new Bad("/services/features/anywhere/locations", "phoneNumber", "", "phoneNumber"),
                new Bad(one, "description", "x".repeat(81), "description"),
                new Bad(one, "active", "yes", "active"),
                new Bad(one, "useDiversionInhibitor", "1", "useDiversionInhibitor"),
                new Bad(one, "outboundAlternateNumber", "sip:bob@example.com", "outboundAlternateNumber"),
                new Bad("/services/features/anywhere/locations/12a3/enable", "locale", "en", "number"),
                new Bad("/services/features/anywhere/locations/" + "1".repeat(23) + "/disable", "locale", "en",
                        "number"))) {
            HttpResponse<byte[]> answer = proxy().send(bad.path().equals(one) ? "PUT" : "POST", bad.path(),
                    Map.of("token", token, bad.field(), bad.value()), Map.of());
            assertThat(answer.statusCode()).as(bad.toString()).isEqualTo(400);
            AnswerAssertions.assertWellFormedAnswer(answer);
            assertThat(body(answer)).as(bad.toString())
                    .isEqualTo("<error><message>The value of \"" + bad.named() + "\" is not valid.</message></error>");
        }
        assertThat(received()).isEmpty();
    }

    /** Any other refusal of XSI is the platform's "no" to the change (409), never a 502 nor a logout. */
    @Test
    void xsiRefusingTheChangeOtherwiseIs409AndTroubleIs503() {
        BACKEND.serve(sample("anywhere-location-change-description"));
        BACKEND.server().stubFor(put(urlPathEqualTo(LOCATIONS + "/2025550123")).atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/xml").withBody("<ErrorInfo xmlns=\"" + XSI
                        + "\"><summary>Invalid value.</summary><summaryEnglish>Invalid value.</summaryEnglish>"
                        + "<errorCode>4002</errorCode></ErrorInfo>")));
        HttpResponse<byte[]> refused = proxy().send("PUT", "/services/features/anywhere/locations/2025550123",
                Map.of("token", token(), "description", "Home"), Map.of());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(body(refused)).isEqualTo("<error><message>Your phone service did not accept this change."
                + "</message></error>");

        BACKEND.server().stubFor(put(urlPathEqualTo(LOCATIONS + "/2025550123")).atPriority(0)
                .willReturn(aResponse().withStatus(503)));
        HttpResponse<byte[]> trouble = proxy().send("PUT", "/services/features/anywhere/locations/2025550123",
                Map.of("token", token(), "description", "Home"), Map.of());
        assertThat(trouble.statusCode()).isEqualTo(503);
        assertThat(trouble.headers().firstValue("Retry-After")).isPresent();
    }

    /** The table of XSI's refusals: a summary alone can say "exists"; a 403 without a code, not assigned. */
    @Test
    void aDuplicateIsToldBySummaryToAndA403WithoutCodeIsNotAssigned() {
        BACKEND.serve(sample("anywhere-location-change-description"));
        BACKEND.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(LOCATIONS))
                .atPriority(1).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/xml")
                        .withBody("<ErrorInfo xmlns=\"" + XSI + "\"><summary>Die Nummer ist vergeben.</summary>"
                                + "<summaryEnglish>Phone number already in use.</summaryEnglish>"
                                + "<errorCode>4711</errorCode></ErrorInfo>")));
        HttpResponse<byte[]> duplicate = proxy().send("POST", "/services/features/anywhere/locations",
                Map.of("token", token(), "phoneNumber", "2025550123", "locale", "de"), Map.of());
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(body(duplicate)).isEqualTo("<error><message>Diese Nummer ist bereits einer Ihrer "
                + "BroadWorks-Anywhere-Standorte.</message></error>");

        BACKEND.server().stubFor(put(urlPathEqualTo(LOCATIONS + "/2025550123")).atPriority(1)
                .willReturn(aResponse().withStatus(403)));
        HttpResponse<byte[]> notAssigned = proxy().send("POST",
                "/services/features/anywhere/locations/2025550123/enable", Map.of("token", token()), Map.of());
        assertThat(notAssigned.statusCode()).isEqualTo(409);
        assertThat(body(notAssigned)).contains("BroadWorks Anywhere is not part of your phone service.");
    }

    @Test
    void aChangeIsLoggedOnceWithBeforeAndAfterButNeverTheToken(CapturedOutput output) {
        String token = token();
        BACKEND.serve(sample("anywhere-location-disable"));

        HttpResponse<byte[]> disabled = proxy().send("POST",
                "/services/features/anywhere/locations/2025550123/disable", Map.of("token", token), Map.of());

        assertThat(disabled.statusCode()).as(body(disabled)).isEqualTo(200);
        List<String> lines = output.getAll().lines().filter(line -> line.contains("anywhere location disable "))
                .toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "tenant=acme", "user=alice@acme.example", "location=2025550123",
                "active=true->false", "description=\"Home\"->\"Home\"");
        assertThat(output.getAll()).doesNotContain(token, "x-fake-portal-alice");
    }

    private static void assertIdentical(String expected, String actual) {
        Diff diff = DiffBuilder.compare(expected).withTest(actual).ignoreWhitespace().checkForIdentical().build();
        assertThat(diff.hasDifferences()).as("XSI received %s%n%s", actual, diff).isFalse();
    }

    private static List<LoggedRequest> received() {
        return BACKEND.server().findAll(anyRequestedFor(anyUrl()));
    }

    private String token() {
        return tokens.seal(new AccountToken("acme", "alice@acme.example", "x-fake-portal-alice", Instant.now(), "",
                null));
    }

    private static String body(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
