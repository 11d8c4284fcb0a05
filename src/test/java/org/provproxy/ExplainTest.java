package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {
    "provisioning.explain.enabled=true",
    "provisioning.operator.user=operator",
    "provisioning.operator.password=x-fake-operator-secret"})
class ExplainTest extends ProxyTestSupport {

    private static final Map<String, String> OPERATOR = Map.of("Authorization",
            "Basic " + Base64.getEncoder().encodeToString("operator:x-fake-operator-secret".getBytes()));

    private JsonNode explain(SampleCase sample, String tenant) throws Exception {
        BACKEND.serve(sample);
        Map<String, String> params = new HashMap<>(sample.params());
        params.remove("fullcode"); // one name per parameter: cloud_id is set here
        params.put("cloud_id", tenant);
        HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/explain", params, OPERATOR);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        List<String> secrets = new java.util.ArrayList<>(List.of(sample.backend("xsi.password"), "x-fake-operator-secret"));
        if (sample.backend("dms.password") != null) {
            secrets.add(sample.backend("dms.password"));
        }
        assertThat(body).doesNotContain(secrets).doesNotContain("x-fake-sip", "Basic ", "Digest ");
        return new ObjectMapper().readTree(body);
    }

    @Test
    void explainsCallsDevicesAndStylesheetsOfASignIn() throws Exception {
        JsonNode report = explain(sample("mobile-three-devices"), "acme");

        assertThat(report.at("/request/userId").asText()).isEqualTo("alice@acme.example");
        assertThat(report.get("calls")).hasSize(4);
        assertThat(report.get("calls").findValuesAsText("url")).anyMatch(url -> url.endsWith("/profile/Device"))
                .anyMatch(url -> url.endsWith("/mobile-config.xml"));
        assertThat(report.get("calls").findValues("status")).allMatch(status -> status.asInt() == 200);
        assertThat(report.get("devices")).hasSize(3);
        assertThat(report.get("devices").findValuesAsText("verdict")).containsOnlyOnce("chosen")
                .contains("not the platform's device type");
        assertThat(report.at("/stylesheets/account.xsl").asText()).isEqualTo("xslt/account.xsl (default)");
        assertThat(report.at("/outcome/status").asInt()).isEqualTo(200);
        assertThat(report.at("/outcome/accountKeys").toString()).contains("username", "password", "X-xsi-user-id");
    }

    @Test
    void namesTheTenantOverrideThatShapedTheAnswer() throws Exception {
        JsonNode report = explain(sample("deptco-department"), "deptco");
        assertThat(report.at("/stylesheets/account.xsl").asText())
                .isEqualTo("xslt/tenants/deptco/account.xsl (tenant override)");
        assertThat(report.at("/outcome/accountKeys").toString()).contains("X-department");
    }

    @Test
    void listsTheKeysSentEmptyToo() throws Exception {
        // no auth user, proxy or transport in this device file: the keys are sent empty, to clear old values
        JsonNode report = explain(sample("post-form-aliases"), "acme");
        assertThat(report.at("/outcome/accountKeys").toString()).contains("authUsername", "proxy", "transport");
    }

    @Test
    void explainsAFailingWalk() throws Exception {
        JsonNode report = explain(sample("no-device-of-type"), "acme");
        assertThat(report.at("/outcome/status").asInt()).isEqualTo(409);
        assertThat(report.at("/outcome/failure").asText()).isEqualTo("no-device");
        assertThat(report.get("devices").findValuesAsText("verdict")).doesNotContain("chosen");
    }

    @Test
    void requiresTheOperatorCredential() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("operator:wrong".getBytes())))) {
            HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/explain", sample.params(), headers);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
            AnswerAssertions.assertWellFormedAnswer(response);
        }
        assertThat(BACKEND.server().getAllServeEvents()).as("XSI not called").isEmpty();
    }
}
