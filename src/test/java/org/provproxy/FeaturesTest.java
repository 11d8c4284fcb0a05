package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.backend.BackendCache;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.xmlunit.assertj3.XmlAssert;

/**
 * The call features web service against the stand-in XSI, for what the samples (samples/features-*) cannot say:
 * the document XSI receives for a change (root and namespace, children in the schema's order, only what changes,
 * xsi:nil for a cleared number), that the answer is what XSI reads after the change, that nothing reaches XSI for
 * refused input, what XSI's own refusals become, that every read is fresh, and the change's log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class FeaturesTest extends ProxyTestSupport {

    private static final String USER = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/";
    private static final BasicCredentials ALICE = new BasicCredentials("alice@acme.example", "x-fake-portal-alice");
    private static final String XSI = "http://schema.broadsoft.com/xsi";
    private static final String CHANGED = "changed";

    @Autowired
    BackendCache backendCache;

    @BeforeEach
    void reset() {
        backendCache.clear();
        BACKEND.serve(sample("features-none-assigned"));
    }

    @Test
    void aChangePutsOnlyTheChangedFieldsInTheSchemasOrderInTheXsiNamespace() {
        feature("CallForwardingNoAnswer", "<active>false</active><forwardToPhoneNumber>5002</forwardToPhoneNumber>"
                + "<numberOfRings>3</numberOfRings>", "<active>true</active><forwardToPhoneNumber>+15551234567"
                + "</forwardToPhoneNumber><numberOfRings>5</numberOfRings>");

        // the app names the fields in another order than XSI's schema
        HttpResponse<byte[]> answer = change("call-forwarding-no-answer",
                form("numberOfRings", "5", "active", "true", "forwardToPhoneNumber", "+15551234567"));

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        XmlAssert.assertThat(putBody("CallForwardingNoAnswer")).and(
                "<CallForwardingNoAnswer xmlns='" + XSI + "'><active>true</active>"
                        + "<forwardToPhoneNumber>+15551234567</forwardToPhoneNumber><numberOfRings>5</numberOfRings>"
                        + "</CallForwardingNoAnswer>").ignoreWhitespace().areIdentical();
        LoggedRequest put = BACKEND.server().findAll(putRequestedFor(urlPathEqualTo(USER
                + "services/CallForwardingNoAnswer"))).get(0);
        assertThat(put.getHeader("Content-Type")).startsWith("application/xml");
        BACKEND.server().verify(1, putRequestedFor(urlPathEqualTo(USER + "services/CallForwardingNoAnswer"))
                .withBasicAuth(ALICE));
    }

    /** Every feature the app can change sends XSI its own document: root, namespace, the fields in schema order. */
    @Test
    void eachFeaturesChangeSendsItsOwnXsiDocument() {
        String[][] cases = {
            // feature, service, form (name, value, ...), the document XSI must receive
            {"call-forwarding-always", "CallForwardingAlways", "active=true&forwardToPhoneNumber=+15551234567",
                "<active>true</active><forwardToPhoneNumber>+15551234567</forwardToPhoneNumber>"},
            {"call-forwarding-busy", "CallForwardingBusy", "forwardToPhoneNumber=5002&active=true",
                "<active>true</active><forwardToPhoneNumber>5002</forwardToPhoneNumber>"},
            {"call-forwarding-not-reachable", "CallForwardingNotReachable",
                "active=true&forwardToPhoneNumber=sip:alice-mobile@acme.example",
                "<active>true</active><forwardToPhoneNumber>sip:alice-mobile@acme.example</forwardToPhoneNumber>"},
            {"anonymous-call-rejection", "AnonymousCallRejection", "active=true", "<active>true</active>"},
            {"automatic-callback", "AutomaticCallback", "active=false", "<active>false</active>"},
            {"calling-line-id-delivery-blocking", "CallingLineIDDeliveryBlocking", "active=true",
                "<active>true</active>"},
        };
        for (String[] c : cases) {
            BACKEND.server().resetRequests();
            feature(c[1], "<active>false</active>", c[3]);
            String[] pairs = c[2].replace('&', '=').split("=");

            HttpResponse<byte[]> answer = change(c[0], form(pairs));

            assertThat(answer.statusCode()).as("%s: %s", c[0], body(answer)).isEqualTo(200);
            XmlAssert.assertThat(putBody(c[1])).as(c[0])
                    .and("<" + c[1] + " xmlns='" + XSI + "'>" + c[3] + "</" + c[1] + ">")
                    .ignoreWhitespace().areIdentical();
        }
    }

    @Test
    void onlyTheFieldsNamedAreSentSoADeskPhonesOtherChangesStay() {
        feature("DoNotDisturb", "<active>false</active><ringSplash>true</ringSplash>",
                "<active>true</active><ringSplash>true</ringSplash>");

        HttpResponse<byte[]> answer = change("do-not-disturb", form("active", "true"));

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        XmlAssert.assertThat(putBody("DoNotDisturb"))
                .and("<DoNotDisturb xmlns='" + XSI + "'><active>true</active></DoNotDisturb>")
                .ignoreWhitespace().areIdentical();
    }

    @Test
    void anEmptyNumberClearsItWithXsiNil() {
        feature("RemoteOffice", "<active>true</active><remoteOfficeNumber>5002</remoteOfficeNumber>",
                "<active>false</active>");

        HttpResponse<byte[]> answer = change("remote-office", form("active", "false", "remoteOfficeNumber", ""));

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        XmlAssert.assertThat(putBody("RemoteOffice")).and("<RemoteOffice xmlns='" + XSI + "' "
                        + "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><active>false</active>"
                        + "<remoteOfficeNumber xsi:nil='true'/></RemoteOffice>")
                .ignoreWhitespace().areIdentical();
        // what XSI reads afterwards: no number
        assertThat(body(answer)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><features><remote-office>"
                + "<active>false</active><remoteOfficeNumber/></remote-office></features>");
    }

    @Test
    void theAnswerIsTheFeatureAsXsiReadsItAfterTheChangeAsXmlOrJson() {
        // XSI makes of the change what it will: the answer says what it made (ringSplash false, not as sent)
        feature("CallForwardingAlways", "<active>false</active><ringSplash>false</ringSplash>",
                "<active>true</active><forwardToPhoneNumber>+15551234567</forwardToPhoneNumber>"
                        + "<ringSplash>false</ringSplash>");

        HttpResponse<byte[]> answer = proxy().send("PUT", "/services/features/call-forwarding-always",
                formWith(token(), "active", "true", "forwardToPhoneNumber", "+15551234567"), Map.of("Accept", "application/json"));

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(body(answer)).isEqualTo("{\"call-forwarding-always\":{\"active\":true,"
                + "\"forwardToPhoneNumber\":\"+15551234567\",\"ringSplash\":false}}");
        assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.headers().firstValue("ETag")).isEmpty();
        // read before, PUT, read back: both reads reach XSI
        BACKEND.server().verify(2, getRequestedFor(urlPathEqualTo(USER + "services/CallForwardingAlways")));
    }

    @Test
    void aClientWithoutPutPostsWithMethodPutAndAPlainPostIsRefused() {
        feature("AnonymousCallRejection", "<active>false</active>", "<active>true</active>");

        HttpResponse<byte[]> plain = proxy().send("POST", "/services/features/anonymous-call-rejection",
                formWith(token(), "active", "true"), Map.of());
        assertThat(plain.statusCode()).isEqualTo(405);
        assertThat(BACKEND.server().findAll(anyRequestedFor(anyUrl()))).isEmpty();

        HttpResponse<byte[]> posted = proxy().send("POST", "/services/features/anonymous-call-rejection",
                formWith(token(), "_method", "PUT", "active", "true"), Map.of());
        assertThat(posted.statusCode()).as(body(posted)).isEqualTo(200);
        XmlAssert.assertThat(putBody("AnonymousCallRejection"))
                .and("<AnonymousCallRejection xmlns='" + XSI + "'><active>true</active></AnonymousCallRejection>")
                .ignoreWhitespace().areIdentical();
    }

    @Test
    void refusedInputNeverReachesXsi() {
        List<Map<String, String>> refused = List.of(
                form("active", "TRUE"), form("active", "1"), form("forwardToPhoneNumber", "+1 555 ext 2"),
                form("forwardToPhoneNumber", "sip:<a>@b"), form("forwardToPhoneNumber", "1".repeat(31)),
                form("numberOfRings", "1"), form("numberOfRings", "21"), form("numberOfRings", ""),
                form("ringSplash", "true"), form("token2", "x"), Map.of());
        for (Map<String, String> fields : refused) {
            HttpResponse<byte[]> answer = change("call-forwarding-no-answer", fields);
            assertThat(answer.statusCode()).as(fields + ": " + body(answer)).isEqualTo(400);
            AnswerAssertions.assertWellFormedAnswer(answer);
        }
        assertThat(BACKEND.server().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void xsisOwnRefusalIsAConflictWithAMessageNotABackendError(CapturedOutput output) {
        feature("CallForwardingBusy", "<active>false</active>", "<active>false</active>");
        BACKEND.server().stubFor(put(urlPathEqualTo(USER + "services/CallForwardingBusy")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/xml").withBody(
                        "<ErrorInfo xmlns=\"" + XSI + "\"><summary>[Error 4410] Invalid forward number</summary>"
                                + "<summaryEnglish>[Error 4410] Invalid forward number</summaryEnglish>"
                                + "<errorCode>4410</errorCode></ErrorInfo>")));
        String token = token();

        HttpResponse<byte[]> answer = proxy().send("PUT", "/services/features/call-forwarding-busy",
                formWith(token, "active", "true", "forwardToPhoneNumber", "911"), Map.of());

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(body(answer)).isEqualTo("<error><message>Your phone service did not accept this change.</message>"
                + "</error>");
        assertThat(output.getAll()).contains("Invalid forward number").doesNotContain(token, "x-fake-portal-alice");
    }

    @Test
    void xsiUnavailableIsTryAgainLaterNeverALogout() {
        feature("DoNotDisturb", "<active>false</active>", "<active>false</active>");
        BACKEND.server().stubFor(put(urlPathEqualTo(USER + "services/DoNotDisturb")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        HttpResponse<byte[]> answer = change("do-not-disturb", form("active", "true"));
        // a validator sent along (an app's HTTP stack may add the last GET's) confirms nothing of a change
        HttpResponse<byte[]> conditional = proxy().send("PUT", "/services/features/do-not-disturb",
                formWith(token(), "active", "true"), Map.of("If-None-Match", "\"held\""));

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(conditional.statusCode()).isEqualTo(503);
    }

    @Test
    void aFeatureNotAssignedToThePutIsAConflict() {
        feature("AutomaticCallback", "<active>false</active>", "<active>false</active>");
        BACKEND.server().stubFor(put(urlPathEqualTo(USER + "services/AutomaticCallback")).atPriority(1)
                .willReturn(aResponse().withStatus(403)));

        HttpResponse<byte[]> answer = change("automatic-callback", form("active", "true"));

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(body(answer)).contains("automatic-callback is not available");
    }

    @Test
    void everyReadIsFreshEvenForATenantThatKeepsXsisAnswers() {
        BACKEND.serve(sample("features-all-assigned"));
        String token = token("cached");

        HttpResponse<byte[]> one = proxy().send("GET", "/services/features", Map.of("token", token), Map.of());
        HttpResponse<byte[]> two = proxy().send("GET", "/services/features", Map.of("token", token), Map.of());

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(two.statusCode()).isEqualTo(200);
        BACKEND.server().verify(2, getRequestedFor(urlPathEqualTo(USER + "services/DoNotDisturb")));
        BACKEND.server().verify(2, getRequestedFor(urlPathEqualTo(USER + "services/RemoteOffice")));
    }

    @Test
    void aChangeIsLoggedOnceWithTheStateBeforeAndAfterButNeverTheToken(CapturedOutput output) {
        feature("DoNotDisturb", "<active>false</active><ringSplash>false</ringSplash>",
                "<active>true</active><ringSplash>false</ringSplash>");
        String token = token();

        HttpResponse<byte[]> answer = proxy().send("PUT", "/services/features/do-not-disturb",
                formWith(token, "active", "true"), Map.of());

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        List<String> lines = output.getAll().lines().filter(line -> line.contains("feature changed ")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "tenant=acme", "user=alice@acme.example", "feature=do-not-disturb",
                "{active=false, ringSplash=false} -> {active=true, ringSplash=false}");
        assertThat(output.getAll()).doesNotContain(token, "x-fake-portal-alice");
    }

    /**
     * The feature's service answers GET with {@code before} until a PUT (200), then with {@code after}: XSI as the
     * change leaves it.
     */
    private static void feature(String service, String before, String after) {
        String path = USER + "services/" + service;
        String scenario = service;
        BACKEND.server().stubFor(get(urlPathEqualTo(path)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(document(service, before)));
        BACKEND.server().stubFor(put(urlPathEqualTo(path)).atPriority(2).inScenario(scenario)
                .willSetStateTo(CHANGED).willReturn(aResponse().withStatus(200)));
        BACKEND.server().stubFor(get(urlPathEqualTo(path)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(CHANGED).willReturn(document(service, after)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder document(String service,
                                                                                             String content) {
        return aResponse().withHeader("Content-Type", "application/xml; charset=ISO-8859-1").withBody(
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><" + service + " xmlns=\"" + XSI + "\">" + content
                        + "</" + service + ">");
    }

    /** The body of the one PUT XSI received for {@code service}. */
    private static String putBody(String service) {
        List<LoggedRequest> puts = BACKEND.server().findAll(putRequestedFor(urlPathEqualTo(USER + "services/"
                + service)));
        assertThat(puts).hasSize(1);
        return puts.get(0).getBodyAsString();
    }

    private HttpResponse<byte[]> change(String feature, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("token", token());
        return proxy().send("PUT", "/services/features/" + feature, form, Map.of());
    }

    private static Map<String, String> formWith(String token, String... pairs) {
        Map<String, String> form = form(pairs);
        form.put("token", token);
        return form;
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private String token() {
        return token("acme");
    }

    private String token(String tenant) {
        return tokens.seal(new AccountToken(tenant, "alice@acme.example", "x-fake-portal-alice", Instant.now(), "",
                null));
    }

    private static String body(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
