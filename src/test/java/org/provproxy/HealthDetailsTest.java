package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.provproxy.shaping.Stylesheets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.Status;
import org.springframework.test.context.TestPropertySource;

/**
 * /actuator/health tells anyone the status, and only the operator (provisioning.operator.user, .password) the
 * details: which stylesheet or route file was refused, with file names and compiler messages. (The same
 * properties as ExplainTest, so both share one application context.)
 */
@TestPropertySource(properties = {
    "provisioning.explain.enabled=true",
    "provisioning.operator.user=operator",
    "provisioning.operator.password=x-fake-operator-secret"})
class HealthDetailsTest extends ProxyTestSupport {

    private static String basic(String credential) {
        return "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> health(Map<String, String> headers) {
        return proxy().send("GET", "/actuator/health", Map.of(), headers);
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }

    @Autowired
    HttpCodeStatusMapper statusCodes;

    @Test
    void downIsAnOutageAndAWarningIsNot() {
        // balancers and probes read the status code only
        assertThat(statusCodes.getStatusCode(Status.DOWN)).isEqualTo(503);
        assertThat(statusCodes.getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(503);
        assertThat(statusCodes.getStatusCode(Stylesheets.WARNING)).isEqualTo(200);
        assertThat(statusCodes.getStatusCode(Status.UP)).isEqualTo(200);
    }

    @Test
    void anonymousCallersSeeTheStatusAlone() throws Exception {
        HttpResponse<byte[]> response = health(Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json(response);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        // and the names of the probe groups (liveness, readiness), which Spring Boot lists for anyone
        assertThat(health.fieldNames()).toIterable().as("nothing but the status: %s", health)
                .containsExactlyInAnyOrder("status", "groups");
        assertThat(health.get("groups").toString()).isEqualTo("[\"liveness\",\"readiness\"]");
    }

    @Test
    void theOperatorSeesTheDetails() throws Exception {
        HttpResponse<byte[]> response = health(Map.of("Authorization", basic("operator:x-fake-operator-secret")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json(response);
        assertThat(health.at("/components/stylesheets/details/stylesheets").asInt()).isPositive();
        assertThat(health.at("/components/routeFiles/status").asText()).isEqualTo("UP");
    }

    @Test
    void aWrongCredentialIsRefusedNotTakenForAnonymous() {
        HttpResponse<byte[]> response = health(Map.of("Authorization", basic("operator:x-fake-wrong")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
        AnswerAssertions.assertWellFormedAnswer(response);
        AnswerAssertions.assertSameXml("<error><message>Operator credentials required.</message></error>",
                new String(response.body(), StandardCharsets.UTF_8));
    }
}
