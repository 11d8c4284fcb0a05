package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.provproxy.config.PublicUrl;
import org.provproxy.config.Tenants;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.ops.OperatorCredential;
import org.provproxy.ops.PortalSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** GET /provisioning/portal-settings: the portal keys of one tenant, for the operator only. */
@TestPropertySource(properties = {  // the explain tests' settings: one context for both
    "provisioning.explain.enabled=true",
    "provisioning.operator.user=operator",
    "provisioning.operator.password=x-fake-operator-secret"})
class PortalSettingsTest extends ProxyTestSupport {

    private static final Map<String, String> OPERATOR = Map.of("Authorization",
            "Basic " + Base64.getEncoder().encodeToString("operator:x-fake-operator-secret".getBytes()));
    private static final String SIGN_IN =
            "cloud_username=%username%&cloud_password=%password%&cloud_id=%fullcode%&platform=%platform%&locale=%locale%";
    private static final String TOKEN = "token=%account[X-xsi-token]%&platform=%platform%&locale=%locale%";

    @Autowired
    private OperatorCredential operator;
    @Autowired
    private Tenants tenants;

    @Test
    void answersTheTenantsPortalKeysWithThisDeploymentsValues() throws Exception {
        // the Cloud ID as the portal spells it: matched like the app's, case-insensitively
        HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/portal-settings", Map.of("tenant", "BasicCo"),
                OPERATOR);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("").replace(" ", ""))
                .isEqualTo("application/json;charset=UTF-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode answer = new ObjectMapper().readTree(response.body());
        String base = PUBLIC_URL.replaceAll("/+$", "");
        String expected = """
                {"InitialProvisioningUrl": "%1$s/provisioning/account",
                 "InitialProvisioningMethod": "POST",
                 "InitialProvisioningContentType": "application/x-www-form-urlencoded",
                 "InitialProvisioningPostData": "%2$s",
                 "extProvUrl": "%1$s/provisioning/account/refresh",
                 "extProvMethod": "POST",
                 "extProvPostData": "%3$s",
                 "extProvLogoutStatusCode": 419,
                 "initialGlobalProvisioningUrl": "%1$s/provisioning/global",
                 "initialGlobalProvisioningMethod": "POST",
                 "initialGlobalProvisioningPostData": "%2$s",
                 "globalExtProvUrl": "%1$s/provisioning/global",
                 "globalExtProvMethod": "POST",
                 "globalExtProvPostData": "%3$s",
                 "globalExtProvRefresh": 3600,
                 "wsContactsUrl": "%1$s/services/contacts",
                 "wsContactsMethod": "POST",
                 "wsContactsPostData": "token=%%account[X-xsi-token]%%&locale=%%locale%%",
                 "wsContactsContentType": "application/x-www-form-urlencoded"}
                """.formatted(base, SIGN_IN, TOKEN);
        assertThat(answer).isEqualTo(new ObjectMapper().readTree(expected));
        List<String> order = new ArrayList<>();
        answer.fieldNames().forEachRemaining(order::add);
        List<String> expectedOrder = new ArrayList<>();
        new ObjectMapper().readTree(expected).fieldNames().forEachRemaining(expectedOrder::add);
        assertThat(order).as("the README's order").isEqualTo(expectedOrder);
    }

    @Test
    void requiresTheOperatorCredential() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("operator:wrong".getBytes())))) {
            HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/portal-settings",
                    Map.of("tenant", "acme"), headers);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
            AnswerAssertions.assertWellFormedAnswer(response);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("provisioning/account");
        }
    }

    @Test
    void anUnknownOrMissingTenantIsNotFoundNeverTheDefaultOne() {
        for (Map<String, String> params : List.of(Map.of("tenant", "nosuchco"), Map.<String, String>of())) {
            HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/portal-settings", params, OPERATOR);
            assertThat(response.statusCode()).isEqualTo(404);
            AnswerAssertions.assertWellFormedAnswer(response);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("Cloud ID");
        }
    }

    @Test
    void withoutAPublicUrlThereIsNothingToCopy() {
        PortalSettings settings = new PortalSettings(operator, tenants, mock(PublicUrl.class));
        assertThatThrownBy(() -> settings.answer(OPERATOR.get("Authorization"), "acme"))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(FailureKind.PUBLIC_URL_NOT_SET));
    }

    /** The README's portal tables and the endpoint name the same keys: neither can drift from the other. */
    @Test
    void theReadmeListsTheSameKeys() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> documented = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `((?:Initial|extProv|initialGlobal|globalExtProv|wsContacts)\\w+)` \\|")
                .matcher(readme);
        while (row.find()) {
            if (!row.group(1).equals("extProvInterval")) { // in the account, not a portal key
                documented.add(row.group(1));
            }
        }
        HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/portal-settings", Map.of("tenant", "acme"),
                OPERATOR);
        List<String> answered = new ArrayList<>();
        new ObjectMapper().readTree(response.body()).fieldNames().forEachRemaining(answered::add);
        assertThat(answered).containsExactlyInAnyOrderElementsOf(documented);
    }
}
