package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.provproxy.account.AccountTokens;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The proxy on its embedded default, as a newcomer starts it: the demo tenant, served by the built-in backend
 * from samples/. Logging in with a sample's folder name and its XSI password gives that sample's answer.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
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
                    // initial provisioning of tenants without overrides: the demo tenant has none, and its own
                    // settings for the rest (e.g. dial actions)
                    .filter(sample -> sample.expectedStatus() == 200 && sample.token().isEmpty()
                            && sample.path().equals("/provisioning/account")
                            && !Files.isDirectory(Path.of("xslt/tenants", sample.params().getOrDefault("cloud_id", "-"))))
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
}
