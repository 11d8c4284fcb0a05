package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Liveness is the process, readiness the replica's readiness for traffic: reloads settled and each tenant's XSI
 * answering its probe. A tenant whose XSI is dead (connection reset), or answers 5xx, degrades readiness to
 * WARNING, still 200, and only the operator learns which. Its own context and XSI stand-in, with the probe every
 * second (the shared suite turns the probe off, so it never adds requests to the stand-in's journal), closed
 * afterwards so no probe outlives the class.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "provisioning.demo.enabled=false",
    "provisioning.default-tenant=",
    "provisioning.public-url=" + ProxyTestSupport.PUBLIC_URL,
    "provisioning.token.keys[0].id=test-2026",
    "provisioning.token.keys[0].secret=" + ProxyTestSupport.TEST_KEY,
    "provisioning.operator.user=operator",
    "provisioning.operator.password=x-fake-operator-secret",
    "provisioning.health.xsi-probe-interval=1s",
    "provisioning.health.xsi-probe-timeout=500ms",
    "provisioning.xslt-location=file:target/health-probes/xslt"})
@DirtiesContext
class HealthProbesTest {

    private static final WireMockServer XSI = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private static final Path XSLT = Path.of("target/health-probes/xslt");
    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("operator:x-fake-operator-secret".getBytes(StandardCharsets.UTF_8));

    static {
        try {
            FileSystemUtils.deleteRecursively(XSLT);
            FileSystemUtils.copyRecursively(Path.of("xslt"), XSLT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        XSI.start();
        // alive answers 401 to a probe without credentials: an answer all the same
        XSI.stubFor(get(urlEqualTo("/alive/com.broadsoft.xsi-actions/v2.0/versions"))
                .willReturn(aResponse().withStatus(401)));
        XSI.stubFor(get(urlEqualTo("/dead/com.broadsoft.xsi-actions/v2.0/versions"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        XSI.stubFor(get(urlEqualTo("/overloaded/com.broadsoft.xsi-actions/v2.0/versions"))
                .willReturn(aResponse().withStatus(503)));
    }

    @DynamicPropertySource
    static void tenants(DynamicPropertyRegistry registry) {
        for (String tenant : new String[] {"alive", "dead", "overloaded"}) {
            registry.add("provisioning.tenants." + tenant + ".xsi-url",
                    () -> XSI.baseUrl() + "/" + tenant + "/com.broadsoft.xsi-actions");
        }
    }

    @AfterAll
    static void stop() {
        XSI.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private HttpResponse<byte[]> health(String path, boolean operator) {
        return new ProxyClient(port).send("GET", path, Map.of(), operator ? Map.of("Authorization", OPERATOR) : Map.of());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return new ObjectMapper().readTree(response.body());
    }

    private JsonNode readinessSeenByOperator() throws IOException {
        return json(health("/actuator/health/readiness", true));
    }

    private void awaitProbed() {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !readinessSeenByOperator().at("/components/xsi/details/overloaded/last").isMissingNode());
    }

    @Test
    void livenessIsTheProcessAlone() throws Exception {
        awaitProbed();
        HttpResponse<byte[]> anonymous = health("/actuator/health/liveness", false);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(json(anonymous).toString()).isEqualTo("{\"status\":\"UP\"}");

        JsonNode operator = json(health("/actuator/health/liveness", true));
        assertThat(operator.get("components").fieldNames()).toIterable().containsExactly("livenessState");
        assertThat(operator.get("status").asText()).as("a dead XSI never restarts the process").isEqualTo("UP");
    }

    @Test
    void aDeadTenantDegradesReadinessButKeepsTheReplicaIn() throws Exception {
        awaitProbed();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> readinessSeenByOperator().at("/components/xsi/details/dead/status").asText().equals("DOWN"));

        HttpResponse<byte[]> anonymous = health("/actuator/health/readiness", false);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(json(anonymous).toString()).as("the status alone").isEqualTo("{\"status\":\"WARNING\"}");

        HttpResponse<byte[]> operator = health("/actuator/health/readiness", true);
        assertThat(operator.statusCode()).isEqualTo(200);
        JsonNode readiness = json(operator);
        assertThat(readiness.get("status").asText()).isEqualTo("WARNING");
        assertThat(readiness.get("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "stylesheets", "routeFiles", "xsi", "sharedCache");
        JsonNode xsi = readiness.at("/components/xsi");
        assertThat(xsi.get("status").asText()).isEqualTo("WARNING");
        assertThat(xsi.at("/details/alive/status").asText()).isEqualTo("UP");
        assertThat(xsi.at("/details/alive/last").asText()).isEqualTo("HTTP 401");
        assertThat(xsi.at("/details/alive/lastAnsweredAt").asText()).isNotEmpty();
        assertThat(xsi.at("/details/dead/status").asText()).isEqualTo("DOWN");
        assertThat(xsi.at("/details/dead/lastAnsweredAt").isMissingNode()).as("never answered").isTrue();
        assertThat(xsi.at("/details/dead/last").asText()).isNotEmpty().doesNotContain("Exception\n").doesNotContain("\tat ");
        assertThat(xsi.at("/details/overloaded/status").asText()).isEqualTo("DOWN");
        assertThat(xsi.at("/details/overloaded/last").asText()).isEqualTo("HTTP 503");

        // the balancer's endpoint says the same, and XSI is asked without credentials
        assertThat(health("/actuator/health", false).statusCode()).isEqualTo(200);
        XSI.findAll(getRequestedFor(urlEqualTo("/alive/com.broadsoft.xsi-actions/v2.0/versions")))
                .forEach(request -> assertThat(request.containsHeader("Authorization")).isFalse());
    }

    @Test
    void aReplicaRefusingTrafficIsNotReadyButAlive() {
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            assertThat(health("/actuator/health/readiness", false).statusCode()).isEqualTo(503);
            assertThat(health("/actuator/health/liveness", false).statusCode()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(health("/actuator/health/readiness", false).statusCode()).isEqualTo(200);

        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        try {
            assertThat(health("/actuator/health/liveness", false).statusCode()).isEqualTo(503);
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        }
        assertThat(health("/actuator/health/liveness", false).statusCode()).isEqualTo(200);
    }

    @Test
    void aRefusedStylesheetIsAWarningAsBefore() throws Exception {
        Path broken = XSLT.resolve("tenants/alive/account.xsl");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "<xsl:stylesheet version=\"3.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
                + "<xsl:template match=\"/\"><xsl:value-of select=\"((\"/></xsl:template></xsl:stylesheet>");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    readinessSeenByOperator().at("/components/stylesheets/status").asText().equals("WARNING"));
            assertThat(health("/actuator/health/readiness", false).statusCode()).isEqualTo(200);
            assertThat(readinessSeenByOperator().at("/components/stylesheets/details/refused").toString())
                    .contains("account.xsl");
        } finally {
            Files.delete(broken);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                readinessSeenByOperator().at("/components/stylesheets/status").asText().equals("UP"));
    }

    @Test
    void everyReadinessMemberExists() {
        // Spring Boot checks it at start too; this names the members the README and the manifests rely on
        String include = context.getBean(Environment.class)
                .getRequiredProperty("management.endpoint.health.group.readiness.include");
        HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
        for (String member : include.split(",")) {
            assertThat(registry.getContributor(member.trim())).as(member).isNotNull();
        }
        assertThat(include).contains("sharedCache");
        assertThat(context.getEnvironment().getRequiredProperty("management.endpoint.health.group.liveness.include"))
                .isEqualTo("livenessState");
    }
}
