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
                .isEqualTo("provisioning.explain.enabled needs provisioning.explain.user and .password");
        properties.getExplain().setUser("operator");
        assertThat(ConfigurationProblems.of(properties)).hasSize(1);
        properties.getExplain().setPassword("x-fake-operator-password");
        assertThat(ConfigurationProblems.of(properties)).isEmpty();
        properties.getExplain().setUser(" ");
        assertThat(ConfigurationProblems.of(properties)).hasSize(1);
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
                "provisioning.explain.enabled needs provisioning.explain.user and .password");
    }
}
