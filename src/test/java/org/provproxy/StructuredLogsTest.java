package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.ops.SampleCase;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * With {@code logging.structured.format.console=ecs} (a proxy in its own JVM: the logging system is the JVM's, and
 * the suite's context logs text), every log line is one JSON object, a request's line holds the request's fields,
 * and no secret is in any line, with Apache HttpClient's wire and header logs on. The text default shows none of
 * the fields.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest extends ProxyTestSupport {

    private static final Path LOG = Path.of("target/structured-logs.log");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ProxyProcess json;

    @BeforeAll
    static void startJsonLoggingProxy() throws IOException {
        json = ProxyProcess.start(List.of(), List.of("--logging.structured.format.console=ecs",
                "--logging.level.org.provproxy=DEBUG", "--logging.level.org.apache.hc.client5.http.wire=DEBUG",
                "--logging.level.org.apache.hc.client5.http.headers=DEBUG"), LOG);
    }

    @AfterAll
    static void stopJsonLoggingProxy() {
        json.stop();
    }

    private static List<JsonNode> lines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode lineOf(String requestId) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            found.clear();
            lines().stream().filter(line -> requestId.equals(line.path("requestId").asText())
                    && line.has("endpoint")).forEach(found::add);
            return !found.isEmpty();
        });
        assertThat(found).as("one line of request %s holds its fields", requestId).hasSize(1);
        return found.get(0);
    }

    @Test
    void aRequestsLineHoldsItsFields() throws IOException {
        SampleCall call = SampleCall.of(sample("mobile-three-devices"), tokens);
        BACKEND.serve(call.sample());

        HttpResponse<byte[]> answer = new ProxyClient(json.port()).send(call);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode line = lineOf(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(line.path("log.level").asText(line.path("log").path("level").asText())).isEqualTo("INFO");
        assertThat(line.path("message").asText()).startsWith("provisioned tenant=acme");
        assertThat(line.path("tenant").asText()).isEqualTo("acme");
        assertThat(line.path("endpoint").asText()).isEqualTo("provisioning-account");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("outcome").asText()).isEqualTo("answered");
        assertThat(line.path("durationMs").isNumber()).as("%s", line).isTrue();
        assertThat(line.path("cacheHits").asInt(-1)).isZero();
        JsonNode calls = line.path("backendCalls");
        assertThat(calls.isArray()).as("%s", line).isTrue();
        List<String> resources = new ArrayList<>();
        calls.forEach(one -> {
            resources.add(one.path("backend").asText() + " " + one.path("resource").asText() + " "
                    + one.path("status").asText());
            assertThat(one.path("ms").isNumber()).isTrue();
            assertThat(one.path("cached").asBoolean(true)).isFalse();
        });
        assertThat(resources).containsExactlyInAnyOrder("xsi profile 200", "xsi profile/Device 200",
                "xsi services/BusyLampField 200", "dms dms 200");
    }

    @Test
    void anErrorsLineHoldsItsFields() throws IOException {
        SampleCall call = SampleCall.of(sample("xsi-5xx"), tokens);
        BACKEND.serve(call.sample());

        HttpResponse<byte[]> answer = new ProxyClient(json.port()).send(call);

        assertThat(answer.statusCode()).isEqualTo(503);
        JsonNode line = lineOf(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(line.path("message").asText()).startsWith("provisioning failed: backend-unavailable");
        assertThat(line.path("status").asInt()).isEqualTo(503);
        assertThat(line.path("outcome").asText()).isEqualTo("error");
        // XSI's 503, or no answer in time on a busy machine: each call named by its resource, never its URL
        assertThat(line.path("backendCalls").findValuesAsText("resource")).contains("profile")
                .allSatisfy(resource -> assertThat(resource).doesNotContain("alice", "/v2.0"));
    }

    @Test
    void noSecretInAnyJsonLine() throws IOException {
        List<String> secrets = new ArrayList<>();
        for (String name : new String[] {"mobile-three-devices", "basic-dms", "xsi-wrong-password",
            "dms-rejects-credentials", "refresh-changed", "refresh-wrong-password-logout", "contacts-enterprise-user"}) {
            SampleCase sample = sample(name);
            BACKEND.serve(sample);
            SampleCall call = SampleCall.of(sample, tokens);
            AnswerAssertions.assertAnswer(call, new ProxyClient(json.port()).send(call), tokens);
            secrets.addAll(SecretsInLogsTest.secretsOf(sample));
            if (call.token() != null) {
                secrets.add(call.token());
            }
        }

        List<String> text = Files.readAllLines(LOG, StandardCharsets.UTF_8);
        assertThat(secrets).hasSizeGreaterThan(10);
        assertThat(String.join("\n", text)).doesNotContain(secrets)
                .doesNotContainPattern("(?i)authorization[:=]\\s*(basic|digest) ")
                .doesNotContainPattern("response=\\\\?\"?[0-9a-f]{32}");
        // the header log was on and written, as JSON, masked
        assertThat(lines()).anySatisfy(line -> assertThat(line.path("message").asText())
                .containsPattern("Authorization: \\*\\*\\*"));
        // every line that is no JSON is Spring Boot's banner-less start or the JVM's own
        assertThat(text.stream().filter(line -> line.startsWith("{")).count()).isGreaterThan(10);
        assertThat(text.stream().filter(line -> !line.isBlank() && !line.startsWith("{")))
                .allSatisfy(line -> assertThat(line).doesNotContain("INFO", "DEBUG"));
    }

    @Test
    void theTextFormatShowsNoneOfTheFields(CapturedOutput output) {
        SampleCall call = SampleCall.of(sample("mobile-three-devices"), tokens);
        BACKEND.serve(call.sample());
        int before = output.getOut().length();

        assertThat(proxy().send(call).statusCode()).isEqualTo(200);

        List<String> lines = output.getOut().substring(before).lines()
                .filter(line -> line.contains("provisioned tenant=acme")).toList();
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .containsPattern("provisioned tenant=acme user=alice@acme\\.example platform=mobile device=[^=]*$")
                .doesNotContain("durationMs", "backendCalls", "cacheHits", "outcome"));
    }
}
