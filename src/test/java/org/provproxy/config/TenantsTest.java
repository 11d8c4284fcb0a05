package org.provproxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.provproxy.config.ProvisioningProperties.Platform;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.springframework.mock.env.MockEnvironment;

class TenantsTest {

    private static ProvisioningProperties properties(String xsiUrl) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getDemo().setEnabled(false);
        Tenant acme = new Tenant();
        acme.setXsiUrl(xsiUrl);
        properties.getTenants().put("acme", acme);
        return properties;
    }

    @Test
    void aTenantWithoutXsiUrlStopsTheStart() {
        assertThatThrownBy(() -> new Tenants(properties(null), new MockEnvironment()))
                .hasMessageContaining("provisioning.tenants.acme.xsi-url");
        assertThatThrownBy(() -> new Tenants(properties("xsp.acme.example"), new MockEnvironment()))
                .hasMessageContaining("http(s)");
    }

    @Test
    void cloudIdMatchesCaseInsensitivelyThenFallsBackToTheDefault() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Tenants tenants = new Tenants(properties, new MockEnvironment());
        assertThat(tenants.resolve("ACME")).hasValue("acme");
        assertThat(tenants.resolve("other")).isEmpty();
        properties.setDefaultTenant("acme");
        assertThat(tenants.resolve("other")).hasValue("acme");
        assertThat(tenants.resolve(null)).hasValue("acme");
    }

    @Test
    void aPlatformSettingLeftOutKeepsItsDefault() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Tenant acme = properties.getTenants().get("acme");
        acme.getPlatforms().put("mobile", new Platform(null, "bc-mobile.xml"));
        Platform mobile = new Tenants(properties, new MockEnvironment()).platform(acme, "mobile");
        assertThat(mobile.getDeviceType()).isEqualTo("Business Communicator - Mobile");
        assertThat(mobile.getFile()).isEqualTo("bc-mobile.xml");
    }
}
