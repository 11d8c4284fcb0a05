package org.provproxy.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One tenant's settings as a request uses them: defaults applied (global cache times, platform fields), URLs
 * normalized, immutable. Made by {@link Tenants#settings(String)}; raw {@link ProvisioningProperties} stay in
 * this package.
 *
 * @param key       the tenant key (Cloud ID as configured)
 * @param xsiUrl    XSI-Actions base URL without a trailing slash
 * @param platforms       device type and file per platform ({@code mobile}, {@code desktop}, ...)
 * @param platformAliases the app's platform names, as {@link #platformKey} keys, mapped to one of {@code platforms}
 * @param account         how the account is shaped (tenant keys blf, tls-transport, send-caller-id,
 *                        network-id)
 * @param dmsHosts        hosts device files may be fetched from, lower case: {@code host} (any port) or
 *                        {@code host:port}; the XSI host unless configured
 * @param directory       how the contacts web service reads the directory (tenant key directory)
 */
public record TenantSettings(String key, String xsiUrl, String userDomain, boolean useDigestAuth,
                             int extProvInterval, int logoutStatusCode, boolean logoutWhenDeviceRemoved,
                             Duration cacheTtl, Duration staleIfError, Map<String, PlatformSettings> platforms,
                             DialActionSettings dialActions, Map<String, String> platformAliases,
                             AccountOptions account, Set<String> dmsHosts, DirectorySettings directory) {

    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]");

    public TenantSettings {
        platforms = Map.copyOf(platforms);
        platformAliases = Map.copyOf(platformAliases);
        dmsHosts = Set.copyOf(dmsHosts);
    }

    /**
     * Whether a device file may be fetched from {@code host} on {@code port} (-1: the scheme's default): the host
     * is one of {@link #dmsHosts}, for any port or the one listed with it.
     */
    public boolean allowsDmsHost(String scheme, String host, int port) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int effective = port >= 0 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
        return dmsHosts.contains(name) || dmsHosts.contains(name + ":" + effective);
    }

    /**
     * A platform name as the app sends it, reduced to what tells names apart: lower case, letters and digits only
     * ("Mac OS X", "mac_os_x" and "MacOSX" are one name). Empty for null.
     */
    public static String platformKey(String appPlatform) {
        return appPlatform == null ? ""
                : NOT_LETTER_OR_DIGIT.matcher(appPlatform.toLowerCase(Locale.ROOT)).replaceAll("");
    }

    /** The platform's settings; every platform name the request reader accepts has one. */
    public PlatformSettings platform(String platform) {
        PlatformSettings settings = platforms.get(platform);
        if (settings == null) {
            throw new IllegalArgumentException("no settings for platform " + platform);
        }
        return settings;
    }

    /**
     * The access device type to provision, its profile file name and that file's root element ({@code |} between
     * accepted names), for one platform.
     */
    public record PlatformSettings(String deviceType, String file, String fileRoot) {
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

    /** The tenant's choices for the account's keys; account.xsl reads them from the walk's params. */
    public record AccountOptions(Blf blf, TlsTransport tlsTransport, boolean sendCallerId, NetworkId networkId) {
    }

    /**
     * The contacts web service's directory: the credentials it is read with (null: the subscriber's own), how long
     * one is shared, and which one.
     */
    public record DirectorySettings(String user, String password, Duration cacheTtl, DirectoryScope scope,
                                    int maxEntries) {

        public boolean ownCredentials() {
            return user != null;
        }

        @Override
        public String toString() {
            return "DirectorySettings[user=" + user + " cacheTtl=" + cacheTtl + " scope=" + scope + " maxEntries="
                    + maxEntries + "]";
        }
    }

    /** What the account's {@code networkId} holds (tenant key {@code network-id}). */
    public enum NetworkId {
        /** the subscriber's group id */
        GROUP,
        /** the subscriber's enterprise (or service provider) id */
        ENTERPRISE,
        /** nothing: sent empty */
        OFF;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<NetworkId> of(String value) {
            return Arrays.stream(values()).filter(v -> value != null && v.value().equalsIgnoreCase(value.trim()))
                    .findFirst();
        }
    }

    /** Which directory the contacts web service reads (tenant key {@code directory.scope}). */
    public enum DirectoryScope {
        /** the enterprise's directory for users of an enterprise, else the group's (the profile says which) */
        AUTO,
        ENTERPRISE,
        GROUP;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<DirectoryScope> of(String value) {
            return Arrays.stream(values()).filter(v -> value != null && v.value().equalsIgnoreCase(value.trim()))
                    .findFirst();
        }
    }

    /** What the account's {@code <blf>} holds (tenant key {@code blf}). */
    public enum Blf {
        /** the BroadWorks resource-list URI: one subscription for every monitored user */
        LIST,
        /** one URI per monitored user, for platforms without a resource-list server */
        USERS,
        /** nothing: an empty {@code <blf/>} */
        OFF;

        /** As written in configuration and in the walk's params. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode a configured value names (case and surrounding blanks do not count), if any. */
        public static Optional<Blf> of(String value) {
            return Arrays.stream(values()).filter(mode -> value != null && mode.value().equalsIgnoreCase(value.trim()))
                    .findFirst();
        }
    }

    /** The account's transport for a device file that says TLS (tenant key {@code tls-transport}). */
    public enum TlsTransport {
        /** TLS with sip: URIs, what BroadWorks access SBCs normally expect */
        TLS_SIP("tls+sip:"),
        /** TLS with sips: URIs */
        TLS("tls");

        private final String value;

        TlsTransport(String value) {
            this.value = value;
        }

        /** The app's transport value, as written in configuration and in the walk's params. */
        public String value() {
            return value;
        }

        /** The transport a configured value names (case and surrounding blanks do not count), if any. */
        public static Optional<TlsTransport> of(String value) {
            return Arrays.stream(values()).filter(t -> value != null && t.value.equalsIgnoreCase(value.trim()))
                    .findFirst();
        }
    }
}
