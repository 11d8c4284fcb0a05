package org.provproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.provproxy.config.ProvisioningProperties.Tenant;

/** The rules of provisioning.* not tied to tenants or token keys (those: TenantsTest, AccountTokensTest). */
class ProvisioningPropertiesValidatorTest {

    @Test
    void theDefaultsStart() {
        assertThat(ConfigurationProblems.of(new ProvisioningProperties())).isEmpty();
    }

    @Test
    void explainNeedsItsOperatorCredential() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getExplain().setEnabled(true);
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .isEqualTo("provisioning.explain.enabled needs provisioning.operator.user and .password");
        properties.getOperator().setUser("operator");
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .isEqualTo("provisioning.operator.user and .password go together: set both, or neither");
        properties.getOperator().setPassword("x-fake-operator-password");
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
        properties.getOperator().setUser(" ");
        assertThat(ConfigurationProblems.of(properties)).hasSize(1);
    }

    /** The credential's first name, provisioning.explain.user/.password, still works, but not beside the new one. */
    @Test
    void theOperatorCredentialsOldNameStillCounts() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getExplain().setEnabled(true);
        properties.getExplain().setUser("operator");
        properties.getExplain().setPassword("x-fake-operator-password");
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
        assertThat(properties.operatorCredential().getUser()).isEqualTo("operator");
        assertThat(properties.operatorCredential().getPassword()).isEqualTo("x-fake-operator-password");
        properties.getOperator().setUser("other");
        properties.getOperator().setPassword("x-fake-other-password");
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString().isEqualTo(
                "provisioning.explain.user/.password is the old name of provisioning.operator.user/.password: set one of them");
    }

    @Test
    void backendConnectionsAreBounded() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setBackendConnectionsPerHost(0);
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.backend-connections-per-host must be between 1 and 10000");
        properties.setBackendConnectionsPerHost(1000);
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
    }

    @Test
    void theRequestSizeLimitLeavesRoomForTheAppsForms() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setMaxRequestSize(org.springframework.util.unit.DataSize.ofBytes(512));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.max-request-size must be at least 1KB");
        properties.setMaxRequestSize(org.springframework.util.unit.DataSize.ofKilobytes(4));
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
    }

    @Test
    void theParameterSizeLimitLeavesRoomForAToken() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setMaxParameterSize(org.springframework.util.unit.DataSize.ofBytes(600));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.max-parameter-size must be at least 1KB");
        properties.setMaxParameterSize(org.springframework.util.unit.DataSize.ofKilobytes(2));
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
    }

    @Test
    void theBackendAnswerLimitLeavesRoomForRealDocuments() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setBackendMaxAnswerSize(org.springframework.util.unit.DataSize.ofKilobytes(16));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.backend-max-answer-size must be at least 64KB");
        properties.setBackendMaxAnswerSize(org.springframework.util.unit.DataSize.ofMegabytes(1));
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
    }

    @Test
    void failedSignInLimitsAreZeroOrMoreOverASanePeriod() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getFailedSignIns().setPerUser(0);
        assertThat(ConfigurationProblems.of(properties)).as("0: no limit").isEmpty();
        properties.getFailedSignIns().setPerAddress(-1);
        properties.getFailedSignIns().setPeriod(java.time.Duration.ofMillis(10));
        assertThat(ConfigurationProblems.of(properties)).containsExactly(
                "provisioning.failed-sign-ins.per-user and .per-address must be 0 (no limit) or more, not 0 and -1",
                "provisioning.failed-sign-ins.period must be between 1s and 1d (e.g. 1m), not PT0.01S");
    }

    @Test
    void everyProblemIsToldAtOnce() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getDemo().setEnabled(false);
        properties.getExplain().setEnabled(true);
        properties.getTenants().put("acme", new Tenant());
        properties.getTenants().put("globex", null);
        assertThat(ConfigurationProblems.of(properties)).containsExactly(
                "provisioning.tenants.acme.xsi-url is not set",
                "provisioning.tenants.globex.xsi-url is not set",
                "provisioning.token.keys is empty: configure at least one key {id, secret: 32 random bytes in base64, "
                        + "e.g. openssl rand -base64 32}",
                "provisioning.explain.enabled needs provisioning.operator.user and .password",
                PUBLIC_URL_MISSING + "acme)");
    }

    @Test
    void aRequestHasTimeForACall() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setRequestDeadline(java.time.Duration.ofSeconds(3));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .isEqualTo("provisioning.request-deadline (PT3S) must be at least provisioning.backend-timeout (PT5S): "
                        + "no call could take its time");
        properties.setBackendTimeout(java.time.Duration.ofMillis(10));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.backend-timeout must be at least 100ms");
        properties.setBackendTimeout(java.time.Duration.ofSeconds(3));
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
    }

    private static final String PUBLIC_URL_MISSING = "provisioning.public-url is not set: the URL of the "
            + "call-from-other-phone dial action, to which the app posts its token, must be the proxy's own https "
            + "address (e.g. https://prov.example.com), never one taken from a request; or set "
            + "dial-actions.call-from-other-phone: false for the tenants offering it (";

    private static ProvisioningProperties production(String... tenantsOfferingTheAction) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getDemo().setEnabled(false);
        ProvisioningProperties.TokenKey key = new ProvisioningProperties.TokenKey();
        key.setId("k1");
        key.setSecret("dGVzdC1vbmx5LXRva2VuLWtleS0yMDI2LXh4eHh4eHg=");
        properties.getToken().getKeys().add(key);
        for (String name : new String[] {"acme", "basicco", "globex"}) {
            Tenant tenant = new Tenant();
            tenant.setXsiUrl("https://xsp." + name + ".example/com.broadsoft.xsi-actions");
            tenant.getDialActions().setCallFromOtherPhone(java.util.List.of(tenantsOfferingTheAction).contains(name));
            properties.getTenants().put(name, tenant);
        }
        return properties;
    }

    @Test
    void outsideTheDemoATenantOfferingTheProxysDialActionNeedsThePublicUrl() {
        assertThat(ConfigurationProblems.of(production("acme", "globex"))).containsExactly(
                PUBLIC_URL_MISSING + "acme, globex)");
        assertThat(ConfigurationProblems.of(production())).as("no tenant offers it").isEmpty();

        ProvisioningProperties demo = production("acme");
        demo.getDemo().setEnabled(true);
        assertThat(ConfigurationProblems.of(demo)).as("the demo uses http://localhost:<port>").isEmpty();

        ProvisioningProperties configured = production("acme");
        configured.setPublicUrl("https://prov.example.com/");
        assertThat(ConfigurationProblems.of(configured)).isEmpty();
    }

    @Test
    void thePublicUrlIsAnHttpsBaseUrl() {
        for (String url : new String[] {"http://prov.example.com", "prov.example.com", "https://", "https://prov.example.com/?a=b",
            "https://prov.example.com/#top", "ftp://prov.example.com", "https://prov example.com"}) {
            ProvisioningProperties properties = production("acme");
            properties.setPublicUrl(url);
            assertThat(ConfigurationProblems.of(properties)).as(url).singleElement().asString()
                    .isEqualTo("provisioning.public-url must be the https base URL the app reaches the proxy at "
                            + "(e.g. https://prov.example.com, no query or fragment), not '" + url + "'");
        }
        ProvisioningProperties withUser = production("acme");
        withUser.setPublicUrl("https://operator:x-fake-secret@prov.example.com");
        assertThat(ConfigurationProblems.of(withUser)).singleElement().asString()
                .isEqualTo("provisioning.public-url must not hold a user name or password")
                .doesNotContain("x-fake-secret");

        ProvisioningProperties demo = production("acme");
        demo.getDemo().setEnabled(true);
        demo.setPublicUrl("http://192.168.1.20:8080");
        assertThat(ConfigurationProblems.of(demo)).as("http only for the demo").isEmpty();
    }

    @Test
    void theXsiProbeIsOffOrBoundedWithATimeoutWithinItsInterval() {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getHealth().setXsiProbeInterval(java.time.Duration.ZERO);
        assertThat(ConfigurationProblems.of(properties)).as("0s: no probe").isEmpty();
        properties.getHealth().setXsiProbeInterval(java.time.Duration.ofMillis(200));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.health.xsi-probe-interval must be 0s (no probe) or between 1s and 1h");
        properties.getHealth().setXsiProbeInterval(java.time.Duration.ofSeconds(2));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.health.xsi-probe-timeout (PT5S) must be at most");
        properties.getHealth().setXsiProbeTimeout(java.time.Duration.ofMillis(10));
        assertThat(ConfigurationProblems.of(properties)).singleElement().asString()
                .startsWith("provisioning.health.xsi-probe-timeout must be between 100ms and 1m");
        properties.getHealth().setXsiProbeTimeout(java.time.Duration.ofSeconds(1));
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
    }
}
