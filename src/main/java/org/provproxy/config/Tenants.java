package org.provproxy.config;

import org.provproxy.ops.DemoBackend;

import java.util.Optional;
import java.util.stream.Stream;

import org.provproxy.config.ProvisioningProperties.Platform;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.springframework.stereotype.Component;

/** Finds the tenant for a Cloud ID, and the device type and file of a platform. */
@Component
public class Tenants {

    public static final String DEMO = "demo";

    private final ProvisioningProperties properties;
    private final LocalServer server;

    /** The settings are validated when bound (ProvisioningPropertiesValidator): a bad tenant stops the start. */
    public Tenants(ProvisioningProperties properties, LocalServer server) {
        this.properties = properties;
        this.server = server;
    }

    /** The tenant key for a Cloud ID: exact key, then case-insensitive, then the default tenant. */
    public Optional<String> resolve(String cloudId) {
        if (cloudId != null && !cloudId.isBlank()) {
            Optional<String> match = keys().filter(key -> key.equalsIgnoreCase(cloudId.trim())).findFirst();
            if (match.isPresent()) {
                return match;
            }
        }
        String fallback = properties.getDefaultTenant();
        return fallback == null || fallback.isBlank() ? Optional.empty()
                : keys().filter(key -> key.equalsIgnoreCase(fallback.trim())).findFirst();
    }

    private Stream<String> keys() {
        return Stream.concat(properties.getTenants().keySet().stream(),
                properties.getDemo().isEnabled() ? Stream.of(DEMO) : Stream.empty())
                .distinct();
    }

    public Tenant get(String key) {
        Tenant tenant = properties.getTenants().get(key);
        if (tenant == null && DEMO.equals(key) && properties.getDemo().isEnabled()) {
            tenant = demoTenant();
        }
        return tenant;
    }

    /** A tenant's settings, or the defaults for a tenant that is not configured (offline validation). */
    public Tenant settingsOf(String key) {
        Tenant tenant = key == null ? null : properties.getTenants().get(key);
        return tenant != null ? tenant : DEMO.equals(key) && properties.getDemo().isEnabled() ? demoTenant() : new Tenant();
    }

    /** The platform's settings, a configured value winning over the default one field by field. */
    public Platform platform(Tenant tenant, String platform) {
        Platform configured = tenant.getPlatforms().get(platform);
        Platform fallback = new Tenant().getPlatforms().get(platform);
        if (configured == null) {
            return fallback;
        }
        return new Platform(
                configured.getDeviceType() != null ? configured.getDeviceType() : fallback.getDeviceType(),
                configured.getFile() != null ? configured.getFile() : fallback.getFile());
    }

    /** The built-in demo tenant: XSI and DMS served by this application from samples/ (see DemoBackend). */
    private Tenant demoTenant() {
        Tenant demo = new Tenant();
        demo.setXsiUrl("http://localhost:" + server.port() + DemoBackend.XSI_PATH);
        demo.setUserDomain("demo.example");
        demo.setUseDigestAuth(false);
        return demo;
    }
}
