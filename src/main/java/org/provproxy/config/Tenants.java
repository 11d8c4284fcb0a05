package org.provproxy.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.provproxy.config.ProvisioningProperties.Platform;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Finds the tenant for a Cloud ID, and the device type and file of a platform. */
@Component
public class Tenants {

    public static final String DEMO = "demo";
    /** Where this application serves its built-in demo XSI and DMS (ops/DemoBackend, routes/demo/). */
    public static final String DEMO_BACKEND_PATH = "/demo-xsi";

    private final ProvisioningProperties properties;
    private final Map<String, TenantSettings> resolved = new ConcurrentHashMap<>();
    private final LocalServer server;

    /** The settings are validated when bound (ProvisioningPropertiesValidator): a bad tenant stops the start. */
    public Tenants(ProvisioningProperties properties, LocalServer server) {
        this.properties = properties;
        this.server = server;
    }

    /** The tenant key for a Cloud ID: exact key, then case-insensitive, then the default tenant. */
    public Optional<String> resolve(String cloudId) {
        Optional<String> match = configured(cloudId);
        if (match.isPresent()) {
            return match;
        }
        String fallback = properties.getDefaultTenant();
        return fallback == null || fallback.isBlank() ? Optional.empty()
                : keys().filter(key -> key.equalsIgnoreCase(fallback.trim())).findFirst();
    }

    /** The tenant key for a Cloud ID, exact key then case-insensitive, with no fallback to the default tenant. */
    public Optional<String> configured(String cloudId) {
        return cloudId == null || cloudId.isBlank() ? Optional.empty()
                : keys().filter(key -> key.equalsIgnoreCase(cloudId.trim())).findFirst();
    }

    /** Every tenant key requests can reach: the configured tenants, and the demo tenant while the demo is on. */
    public List<String> all() {
        return keys().toList();
    }

    private Stream<String> keys() {
        return Stream.concat(properties.getTenants().keySet().stream(),
                properties.getDemo().isEnabled() ? Stream.of(DEMO) : Stream.empty())
                .distinct();
    }

    /** A tenant's settings, or the defaults for a tenant that is not configured (offline validation). */
    Tenant settingsOf(String key) {
        Tenant tenant = key == null ? null : properties.getTenants().get(key);
        return tenant != null ? tenant : DEMO.equals(key) && properties.getDemo().isEnabled() ? demoTenant() : new Tenant();
    }

    /** The platform's settings, a configured value winning over the default one field by field. */
    Platform platform(Tenant tenant, String platform) {
        Platform configured = tenant.getPlatforms().get(platform);
        Platform fallback = new Tenant().getPlatforms().getOrDefault(platform, new Platform());
        if (fallback.getFileRoot() == null) {
            fallback.setFileRoot(Platform.UC_ONE_FILE_ROOT);
        }
        if (configured == null) {
            return fallback;
        }
        Platform merged = new Platform(
                configured.getDeviceType() != null ? configured.getDeviceType() : fallback.getDeviceType(),
                configured.getFile() != null ? configured.getFile() : fallback.getFile());
        merged.setFileRoot(configured.getFileRoot() != null && !configured.getFileRoot().isBlank()
                ? configured.getFileRoot().trim() : fallback.getFileRoot());
        return merged;
    }

    /**
     * The resolved settings of a tenant (configured, the demo tenant, or the defaults for a key that is not
     * configured, as offline validation uses them). Configured tenants are resolved once.
     */
    public TenantSettings settings(String key) {
        if (key != null && properties.getTenants().containsKey(key)) {
            return resolved.computeIfAbsent(key, k -> resolveSettings(k, settingsOf(k)));
        }
        // the demo tenant points at this server's own port, known only once it listens: not kept
        return resolveSettings(key, settingsOf(key));
    }

    private TenantSettings resolveSettings(String key, Tenant tenant) {
        Set<String> names = new LinkedHashSet<>(new Tenant().getPlatforms().keySet());
        names.addAll(tenant.getPlatforms().keySet());
        Map<String, TenantSettings.PlatformSettings> platforms = new LinkedHashMap<>();
        for (String name : names) {
            Platform merged = platform(tenant, name);
            platforms.put(name, new TenantSettings.PlatformSettings(merged.getDeviceType(), merged.getFile(),
                    merged.getFileRoot()));
        }
        String xsiUrl = tenant.getXsiUrl() == null ? "" : tenant.getXsiUrl().replaceAll("/+$", "");
        ProvisioningProperties.DialActions actions = tenant.getDialActions();
        return new TenantSettings(key, xsiUrl, tenant.getUserDomain(), tenant.isUseDigestAuth(),
                tenant.getExtProvInterval(), tenant.getLogoutStatusCode(), tenant.isLogoutWhenDeviceRemoved(),
                tenant.getCacheTtl() != null ? tenant.getCacheTtl() : properties.getCache().getTtl(),
                tenant.getStaleIfError() != null ? tenant.getStaleIfError() : properties.getCache().getStaleIfError(),
                platforms,
                new TenantSettings.DialActionSettings(actions.isCallFromOtherPhone(), actions.getCallFromOtherPhoneLabel(),
                        actions.getStatics().stream().map(a -> new TenantSettings.StaticDialAction(a.getId(),
                                a.getLabel(), a.getUrl(), a.getMethod(), a.getPostData())).toList()),
                platformAliases(tenant),
                new TenantSettings.AccountOptions(
                        // validated when bound (ProvisioningPropertiesValidator): a value that names none stops the start
                        TenantSettings.Blf.of(tenant.getBlf()).orElseThrow(
                                () -> new IllegalStateException(key + ": blf " + tenant.getBlf())),
                        TenantSettings.TlsTransport.of(tenant.getTlsTransport()).orElseThrow(
                                () -> new IllegalStateException(key + ": tls-transport " + tenant.getTlsTransport())),
                        tenant.isSendCallerId(),
                        TenantSettings.NetworkId.of(tenant.getNetworkId()).orElseThrow(
                                () -> new IllegalStateException(key + ": network-id " + tenant.getNetworkId()))),
                dmsHosts(tenant, xsiUrl),
                directory(key, tenant.getDirectory()));
    }

    /** The directory settings: credentials only when both are given (validated when bound). */
    private static TenantSettings.DirectorySettings directory(String key, ProvisioningProperties.Directory directory) {
        boolean own = StringUtils.hasText(directory.getUser());
        return new TenantSettings.DirectorySettings(own ? directory.getUser().trim() : null,
                own ? directory.getPassword() : null, directory.getCacheTtl(),
                TenantSettings.DirectoryScope.of(directory.getScope()).orElseThrow(
                        () -> new IllegalStateException(key + ": directory.scope " + directory.getScope())),
                directory.getMaxEntries());
    }

    /** The tenant's dms-hosts, lower case; none configured: the host of its XSI URL. */
    static Set<String> dmsHosts(Tenant tenant, String xsiUrl) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String host : tenant.getDmsHosts()) {
            if (host != null && !host.isBlank()) {
                hosts.add(host.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (hosts.isEmpty()) {
            try {
                String xsiHost = URI.create(xsiUrl).getHost();
                if (xsiHost != null) {
                    hosts.add(xsiHost.toLowerCase(Locale.ROOT));
                }
            } catch (IllegalArgumentException unparsable) {
                // an XSI URL that does not parse (offline validation of a tenant without one): no DMS host
            }
        }
        return hosts;
    }

    /** The tenant's platform aliases by {@link TenantSettings#platformKey}, to a platform name in lower case. */
    static Map<String, String> platformAliases(Tenant tenant) {
        Map<String, String> aliases = new LinkedHashMap<>();
        tenant.getPlatformAliases().forEach((name, platform) -> {
            if (platform != null) {
                aliases.put(TenantSettings.platformKey(name), platform.trim().toLowerCase(Locale.ROOT));
            }
        });
        return aliases;
    }

    /** The built-in demo tenant: XSI and DMS served by this application from samples/ (see DemoBackend). */
    private Tenant demoTenant() {
        Tenant demo = new Tenant();
        demo.setXsiUrl("http://localhost:" + server.port() + DEMO_BACKEND_PATH + "/com.broadsoft.xsi-actions");
        demo.setUserDomain("demo.example");
        demo.setUseDigestAuth(false);
        return demo;
    }
}
