package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.provproxy.account.AccountTokens;
import org.provproxy.ops.SampleCase;
import org.provproxy.ops.XsiProbe;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The proxy on its embedded default, as a newcomer starts it: the demo tenant, served by the built-in backend
 * from samples/. Logging in with a sample's folder name and its XSI password gives that sample's answer.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "provisioning.backend-timeout=2s")
class DemoBackendTest {

    @LocalServerPort
    int port;

    @Autowired
    AccountTokens tokens;

    @TestFactory
    Stream<DynamicTest> everySuccessfulSampleWorksOnTheDemoBackend() throws IOException {
        try (Stream<Path> folders = Files.list(ProxyTestSupport.SAMPLES)) {
            var cases = folders.filter(folder -> Files.isRegularFile(folder.resolve("request.properties")))
                    .sorted().map(SampleCase::load)
                    // initial provisioning of tenants without overrides or account options: the demo tenant has
                    // neither, and its own settings for the rest (e.g. dial actions)
                    .filter(sample -> sample.expectedStatus() == 200 && sample.token().isEmpty()
                            && sample.path().equals("/provisioning/account")
                            && !Files.isDirectory(Path.of("xslt/tenants", sample.params().getOrDefault("cloud_id", "-")))
                            && !ProxyTestSupport.OPTION_TENANTS.contains(sample.params().getOrDefault("cloud_id", "-")))
                    .toList();
            return cases.stream().map(sample -> DynamicTest.dynamicTest(sample.name(), () -> {
                Map<String, String> params = new HashMap<>();
                params.put("username", sample.name());
                params.put("password", sample.backend("xsi.password"));
                String platform = sample.params().get("platform");
                if (platform != null) {
                    params.put("platform", platform);
                }
                SampleCall call = new SampleCall(sample, params, Map.of(), null, sample.name() + "@demo.example", null);
                AnswerAssertions.assertAnswer(call, new ProxyClient(port).send(call), tokens);
            }));
        }
    }

    /**
     * Initial provisioning's failures too (timeouts, refusals, missing devices, languages), signing in as the
     * sample's folder name at the demo tenant; except the kinds README lists as not served by the demo: a missing
     * or unknown Cloud ID (the demo tenant is the default one) and tenants with a stylesheet override.
     */
    @TestFactory
    Stream<DynamicTest> initialProvisioningFailuresWorkOnTheDemoBackendToo() throws IOException {
        try (Stream<Path> folders = Files.list(ProxyTestSupport.SAMPLES)) {
            var cases = folders.filter(folder -> Files.isRegularFile(folder.resolve("request.properties")))
                    .sorted().map(SampleCase::load)
                    .filter(sample -> sample.expectedStatus() != 200 && sample.token().isEmpty()
                            && sample.path().equals("/provisioning/account"))
                    .filter(sample -> cloudId(sample) != null && !cloudId(sample).equals("nosuchcloud")
                            && !Files.isDirectory(Path.of("xslt/tenants", cloudId(sample))))
                    .toList();
            return cases.stream().map(sample -> DynamicTest.dynamicTest(sample.name(), () -> {
                Map<String, String> params = new HashMap<>(sample.params());
                for (String name : new String[] {"username", "cloud_username"}) {
                    params.computeIfPresent(name, (key, value) -> value.isBlank() ? value : sample.name());
                }
                for (String name : new String[] {"cloud_id", "fullcode"}) {
                    params.computeIfPresent(name, (key, value) -> "demo");
                }
                SampleCall call = new SampleCall(sample, params, sample.requestHeaders(), null,
                        sample.name() + "@demo.example", null);
                AnswerAssertions.assertAnswer(call, new ProxyClient(port).send(call), tokens);
            }));
        }
    }

    private static String cloudId(SampleCase sample) {
        return sample.params().getOrDefault("cloud_id", sample.params().get("fullcode"));
    }

    /**
     * The dial action's URL (where the app posts its token) is never made from the request's Host, which anyone can
     * forge: in the demo without provisioning.public-url it is this server's own http://localhost:port.
     */
    @Test
    void theDialActionUrlIsTheServersOwnWhateverHostTheRequestNames() {
        SampleCase sample = SampleCase.load(ProxyTestSupport.SAMPLES.resolve("global-empty-monitored-list"));
        RawHttp.Answer answer = RawHttp.send(port, "GET /provisioning/global?username=" + sample.name() + "&password="
                + sample.backend("xsi.password") + "&cloud_id=demo HTTP/1.0\r\nHost: attacker.example:8443\r\n"
                + "X-Forwarded-Host: attacker.example\r\nX-Forwarded-Proto: http\r\n");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("<url>http://localhost:" + port + "/provisioning/actions/call-from-other-phone</url>")
                .doesNotContain("attacker");
    }

    /**
     * The README's contacts example: sign in on the demo, then ask for contacts with the account's token. A sample
     * that recorded a directory (mobile-three-devices: a group directory) lists it; one that did not, an empty list
     * (the demo answers an unrecorded directory 403, not available).
     */
    @Test
    void contactsWorkOnTheDemoBackendWithTheTokenOfADemoSignIn() throws Exception {
        ProxyClient proxy = new ProxyClient(port);
        String withDirectory = tokenOf(proxy, "mobile-three-devices", "x-fake-portal-alice", "mobile");
        String without = tokenOf(proxy, "desktop-user", "x-fake-portal-bob", "desktop");

        var contacts = proxy.send("GET", "/services/contacts", Map.of("token", withDirectory), Map.of());
        var none = proxy.send("GET", "/services/contacts", Map.of("token", without), Map.of());

        assertThat(contacts.statusCode()).isEqualTo(200);
        var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(contacts.body());
        assertThat(list).hasSize(3);
        assertThat(list.get(2).get("displayName").asText()).isEqualTo("Chlo\u00e9 Dubois");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(new String(none.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    /**
     * The README's call history example: with the token of a demo sign-in, the call logs mobile-three-devices
     * recorded, newest first; a sample that recorded none, an empty history (the demo answers 403, not assigned).
     */
    @Test
    void callHistoryWorksOnTheDemoBackendWithTheTokenOfADemoSignIn() throws Exception {
        ProxyClient proxy = new ProxyClient(port);
        String withLogs = tokenOf(proxy, "mobile-three-devices", "x-fake-portal-alice", "mobile");
        String without = tokenOf(proxy, "desktop-user", "x-fake-portal-bob", "desktop");

        var history = proxy.send("POST", "/services/call-history", Map.of("token", withLogs),
                Map.of("Accept", "application/json"));
        var none = proxy.send("GET", "/services/call-history", Map.of("token", without), Map.of());

        assertThat(history.statusCode()).isEqualTo(200);
        var calls = new com.fasterxml.jackson.databind.ObjectMapper().readTree(history.body()).get("calls");
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).get("name").asText()).isEqualTo("Chlo\u00e9 Dubois");
        assertThat(calls.get(0).get("time").asText()).isEqualTo("2026-03-02T15:40:12.500Z");
        assertThat(calls.get(2).get("result").asText()).isEqualTo("missed");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(new String(none.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><callHistory/>");
    }

    /** The README's voicemail list on the demo: a sample that recorded no mailbox is a user without Voice Messaging. */
    @Test
    void aVoicemailListWorksOnTheDemoBackendWithTheTokenOfADemoSignIn() {
        ProxyClient proxy = new ProxyClient(port);
        String token = tokenOf(proxy, "desktop-user", "x-fake-portal-bob", "desktop");

        var list = proxy.send("GET", "/services/voicemail", Map.of("token", token), Map.of("Accept", "application/json"));

        assertThat(list.statusCode()).as(new String(list.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(new String(list.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"newMessages\":0,\"oldMessages\":0,\"messages\":[]}");
    }

    private static String tokenOf(ProxyClient proxy, String user, String password, String platform) {
        var account = proxy.send("GET", "/provisioning/account",
                Map.of("username", user, "password", password, "cloud_id", "demo", "platform", platform), Map.of());
        assertThat(account.statusCode()).as(new String(account.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(200);
        var token = java.util.regex.Pattern.compile("<X-xsi-token>([^<]+)</X-xsi-token>")
                .matcher(new String(account.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    @Autowired
    XsiProbe xsiProbe;

    /** The demo tenant's XSI is this server: its probe is answered (404: the demo serves users only), so up. */
    @Test
    void theDemoTenantsXsiAnswersItsProbe() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(xsiProbe.health().getDetails().get("demo"))
                        .asString().contains("status=UP"));
        assertThat(xsiProbe.health().getStatus().getCode()).isEqualTo("UP");
    }
}
