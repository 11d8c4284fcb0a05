package org.provproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.provproxy.config.ProvisioningProperties.Platform;
import org.provproxy.config.ProvisioningProperties.Tenant;

class TenantsTest {

    private static ProvisioningProperties properties(String xsiUrl) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getDemo().setEnabled(false);
        Tenant acme = new Tenant();
        acme.setXsiUrl(xsiUrl);
        properties.getTenants().put("acme", acme);
        return properties;
    }

    /** What the validator says about the tenants (these settings have no token key: not the point here). */
    private static List<String> tenantProblems(ProvisioningProperties properties) {
        return ConfigurationProblems.of(properties).stream().filter(p -> p.startsWith("provisioning.tenants.")).toList();
    }

    @Test
    void aTenantWithoutXsiUrlStopsTheStart() {
        assertThat(tenantProblems(properties(null)))
                .singleElement().asString().contains("provisioning.tenants.acme.xsi-url");
        assertThat(tenantProblems(properties("xsp.acme.example")))
                .singleElement().asString().contains("provisioning.tenants.acme.xsi-url", "http(s)");
        assertThat(tenantProblems(properties("https://xsp.acme.example/com.broadsoft.xsi-actions")))
                .isEmpty();
    }

    @Test
    void aLogoutStatusTheRefreshAnswersForOtherReasonsStopsTheStart() {
        for (int status : new int[] {400, 401, 404, 409, 399, 500, 200}) {
            ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
            properties.getTenants().get("acme").setLogoutStatusCode(status);
            assertThat(tenantProblems(properties)).as("status %d", status).singleElement().asString()
                    .contains("provisioning.tenants.acme.logout-status-code", "4xx", "not " + status);
        }
        for (int status : new int[] {410, 419, 403}) {
            ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
            properties.getTenants().get("acme").setLogoutStatusCode(status);
            assertThat(tenantProblems(properties)).as("status %d", status).isEmpty();
        }
    }

    @Test
    void aPlatformAliasMustNameOneOfTheTenantsPlatforms() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Tenant acme = properties.getTenants().get("acme");
        acme.getPlatformAliases().put("ChromeOS", "Desktop");
        acme.getPlatformAliases().put("Tizen", "tablet");
        acme.getPlatformAliases().put("--", "mobile");
        assertThat(tenantProblems(properties)).containsExactly(
                "provisioning.tenants.acme.platform-aliases.Tizen must name a platform of the tenant (desktop, "
                        + "mobile), not 'tablet'",
                "provisioning.tenants.acme.platform-aliases: '--' is no platform name (letters or digits needed)");

        acme.getPlatforms().put("tablet", new Platform("Business Communicator - Tablet", "tablet-config.xml"));
        acme.getPlatformAliases().remove("--");
        assertThat(tenantProblems(properties)).as("a platform the tenant adds may be aliased too").isEmpty();

        acme.getPlatformAliases().put("chrome_os", "mobile");
        assertThat(tenantProblems(properties)).singleElement().asString().isEqualTo(
                "provisioning.tenants.acme.platform-aliases: 'ChromeOS' and 'chrome_os' are the same name with "
                        + "different platforms");
    }

    @Test
    void platformAliasesAreComparedIgnoringCaseSpacesAndPunctuation() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        properties.getTenants().get("acme").getPlatformAliases().put("Chrome OS", " Desktop ");
        TenantSettings acme = new Tenants(properties, new LocalServer()).settings("acme");
        assertThat(acme.platformAliases()).containsExactly(java.util.Map.entry("chromeos", "desktop"));
        assertThat(TenantSettings.platformKey("chrome_OS")).isEqualTo("chromeos");
    }

    @Test
    void cloudIdMatchesCaseInsensitivelyThenFallsBackToTheDefault() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Tenants tenants = new Tenants(properties, new LocalServer());
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
        Platform mobile = new Tenants(properties, new LocalServer()).platform(acme, "mobile");
        assertThat(mobile.getDeviceType()).isEqualTo("Business Communicator - Mobile");
        assertThat(mobile.getFile()).isEqualTo("bc-mobile.xml");
    }

    @Test
    void anAccountOptionThatNamesNoChoiceStopsTheStart() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Tenant acme = properties.getTenants().get("acme");
        acme.setBlf("resource-list");
        acme.setTlsTransport("tls+sip");
        assertThat(tenantProblems(properties)).containsExactly(
                "provisioning.tenants.acme.blf must be list, users or off, not 'resource-list'",
                "provisioning.tenants.acme.tls-transport must be \"tls+sip:\" (quoted in YAML) or tls, not 'tls+sip'");
        acme.setBlf(" Users ");
        acme.setTlsTransport("TLS");
        assertThat(tenantProblems(properties)).isEmpty();
    }

    @Test
    void theAccountOptionsDefaultToTheResourceListTlsWithSipUrisAndNoCallerId() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Tenants tenants = new Tenants(properties, new LocalServer());
        assertThat(tenants.settings("acme").account()).isEqualTo(new TenantSettings.AccountOptions(
                TenantSettings.Blf.LIST, TenantSettings.TlsTransport.TLS_SIP, false, TenantSettings.NetworkId.GROUP));

        Tenant acme = properties.getTenants().get("acme");
        acme.setBlf("off");
        acme.setTlsTransport("tls");
        acme.setSendCallerId(true);
        acme.setNetworkId("off");
        assertThat(new Tenants(properties, new LocalServer()).settings("acme").account()).isEqualTo(
                new TenantSettings.AccountOptions(TenantSettings.Blf.OFF, TenantSettings.TlsTransport.TLS, true,
                        TenantSettings.NetworkId.OFF));
    }

    @Test
    void aDeviceFilesRootIsConfigUnlessTheTenantSaysOtherwise() {
        ProvisioningProperties properties = properties("https://xsp.acme.example/com.broadsoft.xsi-actions");
        Platform desktop = new Platform();
        desktop.setFileRoot("settings|config");
        properties.getTenants().get("acme").getPlatforms().put("desktop", desktop);
        properties.getTenants().get("acme").getPlatforms().put("tablet", new Platform("BC - Tablet", "tab.xml"));
        TenantSettings acme = new Tenants(properties, new LocalServer()).settings("acme");

        assertThat(acme.platform("mobile").fileRoot()).isEqualTo("config");
        assertThat(acme.platform("desktop")).isEqualTo(new TenantSettings.PlatformSettings(
                "Business Communicator - PC", "config.xml", "settings|config"));
        assertThat(acme.platform("tablet").fileRoot()).isEqualTo("config");
        assertThat(tenantProblems(properties)).isEmpty();

        desktop.setFileRoot("<config>");
        assertThat(tenantProblems(properties)).singleElement().asString()
                .contains("provisioning.tenants.acme.platforms.desktop.file-root", "'<config>'");
    }

    @Test
    void deviceFilesComeFromTheXsiHostUnlessTheTenantListsItsDmsHosts() {
        ProvisioningProperties properties = properties("https://XSP.acme.example:8443/com.broadsoft.xsi-actions");
        Tenants tenants = new Tenants(properties, new LocalServer());
        TenantSettings acme = tenants.settings("acme");
        assertThat(acme.dmsHosts()).containsExactly("xsp.acme.example");
        assertThat(acme.allowsDmsHost("http", "xsp.acme.example", 80)).isTrue();
        assertThat(acme.allowsDmsHost("https", "XSP.Acme.Example", -1)).isTrue();
        assertThat(acme.allowsDmsHost("http", "dms.acme.example", -1)).isFalse();
        assertThat(acme.allowsDmsHost("http", null, -1)).isFalse();

        properties.getTenants().get("acme").setDmsHosts(List.of("dms.acme.example", "Files.Acme.Example:8443"));
        acme = new Tenants(properties, new LocalServer()).settings("acme");
        assertThat(acme.allowsDmsHost("http", "dms.acme.example", 8080)).as("any port").isTrue();
        assertThat(acme.allowsDmsHost("https", "files.acme.example", 8443)).isTrue();
        assertThat(acme.allowsDmsHost("https", "files.acme.example", -1)).as("only the port listed").isFalse();
        assertThat(acme.allowsDmsHost("https", "xsp.acme.example", 8443)).as("a list replaces the default").isFalse();
        assertThat(tenantProblems(properties)).isEmpty();

        properties.getTenants().get("acme").setDmsHosts(List.of("https://dms.acme.example/"));
        assertThat(tenantProblems(properties)).singleElement().asString()
                .contains("provisioning.tenants.acme.dms-hosts", "'https://dms.acme.example/'");
    }
}
