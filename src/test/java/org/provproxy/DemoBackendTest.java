package org.provproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.DynamicTest;
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
}
