package org.provproxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One tenant's settings as a request uses them: defaults applied (global cache times, platform fields), URLs
 * normalized, immutable. Made by {@link Tenants#settings(String)}; raw {@link ProvisioningProperties} stay in
 * this package.
 *
 * @param key       the tenant key (Cloud ID as configured)
 * @param xsiUrl    XSI-Actions base URL without a trailing slash
 * @param platforms device type and file per platform ({@code mobile}, {@code desktop}, ...)
 */
public record TenantSettings(String key, String xsiUrl, String userDomain, boolean useDigestAuth,
                             int extProvInterval, int logoutStatusCode, boolean logoutWhenDeviceRemoved,
                             Duration cacheTtl, Duration staleIfError, Map<String, PlatformSettings> platforms,
                             DialActionSettings dialActions) {

    public TenantSettings {
        platforms = Map.copyOf(platforms);
    }

    /** The platform's settings; every platform name the request reader accepts has one. */
    public PlatformSettings platform(String platform) {
        PlatformSettings settings = platforms.get(platform);
        if (settings == null) {
            throw new IllegalArgumentException("no settings for platform " + platform);
        }
        return settings;
    }

    /** The access device type to provision and its profile file name, for one platform. */
    public record PlatformSettings(String deviceType, String file) {
    }

    /** What global provisioning offers as dial actions. */
    public record DialActionSettings(boolean callFromOtherPhone, String callFromOtherPhoneLabel,
                                     List<StaticDialAction> statics) {
        public DialActionSettings {
            statics = List.copyOf(statics);
        }
    }

    /** A dial action given in configuration, offered as it is. */
    public record StaticDialAction(String id, String label, String url, String method, String postData) {
    }
}
