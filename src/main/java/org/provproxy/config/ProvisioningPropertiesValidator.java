package org.provproxy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.provproxy.config.ProvisioningProperties.Explain;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.provproxy.config.ProvisioningProperties.TokenKey;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The rules {@code provisioning.*} must meet for the proxy to start: Spring Boot runs this validator when it binds
 * {@link ProvisioningProperties} (see {@link ConfigurationValidation}), so a misconfiguration stops the start with
 * the key and what it expects, instead of failing users one by one later. Each message names the key as it is
 * written in application.yaml.
 */
class ProvisioningPropertiesValidator implements Validator {

    /** The refresh endpoint answers these for other reasons: as the logout status they would log people out. */
    private static final Set<Integer> RESERVED_STATUSES = Set.of(400, 401, 404, 409);
    private static final int TOKEN_KEY_BYTES = 32;
    /** A host name, IPv4 address or [IPv6] address, optionally with a port: how dms-hosts lists DMS hosts. */
    private static final Pattern DMS_HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?");
    /** Element names without a prefix, '|' between them: how file-root lists a device file's root element. */
    private static final Pattern XML_NAMES = Pattern.compile("[A-Za-z_][\\w.-]*(\\|[A-Za-z_][\\w.-]*)*");

    @Override
    public boolean supports(Class<?> type) {
        return ProvisioningProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ProvisioningProperties properties = (ProvisioningProperties) target;
        properties.getTenants().forEach((key, tenant) -> validateTenant(key, tenant, errors));
        validateTokenKeys(properties.getToken().getKeys(), properties.getDemo().isEnabled(), errors);
        validateTokenMaxAge(properties.getToken().getMaxAge(), errors);
        validateOperator(properties, errors);
        validatePublicUrl(properties, errors);
        validateFailedSignIns(properties.getFailedSignIns(), errors);
        validateTrustedProxies(properties.getTrustedProxies(), errors);
        validateSharedCache(properties.getSharedCache(), errors);
        validateTimes(properties, errors);
        if (properties.getBackendConnectionsPerHost() < 1 || properties.getBackendConnectionsPerHost() > 10000) {
            errors.rejectValue("backendConnectionsPerHost", "invalid",
                    "provisioning.backend-connections-per-host must be between 1 and 10000, not "
                            + properties.getBackendConnectionsPerHost());
        }
        if (properties.getBackendMaxAnswerSize() == null || properties.getBackendMaxAnswerSize().toBytes() < 64 * 1024) {
            errors.rejectValue("backendMaxAnswerSize", "invalid", "provisioning.backend-max-answer-size must be at "
                    + "least 64KB (XSI documents of users with many devices or monitored users take tens of "
                    + "kilobytes), not " + properties.getBackendMaxAnswerSize());
        }
        if (properties.getMaxRequestSize() == null || properties.getMaxRequestSize().toBytes() < 1024) {
            errors.rejectValue("maxRequestSize", "invalid", "provisioning.max-request-size must be at least 1KB "
                    + "(the app's forms, with a token, take a few hundred bytes), not " + properties.getMaxRequestSize());
        }
        // a token takes about 500 bytes: less would refuse every re-provisioning
        if (properties.getMaxParameterSize() == null || properties.getMaxParameterSize().toBytes() < 1024) {
            errors.rejectValue("maxParameterSize", "invalid", "provisioning.max-parameter-size must be at least 1KB "
                    + "(a token takes about 500 bytes), not " + properties.getMaxParameterSize());
        }
        validateVoicemail(properties.getVoicemail(), errors);
        validateHealth(properties.getHealth(), errors);
    }

    /** The XSI probe: off, or often enough to mean "recently" without loading XSI; a timeout within the interval. */
    private static void validateHealth(ProvisioningProperties.HealthSettings health, Errors errors) {
        Duration interval = health.getXsiProbeInterval();
        Duration timeout = health.getXsiProbeTimeout();
        boolean probing = interval != null && interval.compareTo(Duration.ofSeconds(1)) >= 0
                && interval.compareTo(Duration.ofHours(1)) <= 0;
        if (!probing && (interval == null || !interval.isZero())) {
            errors.rejectValue("health.xsiProbeInterval", "invalid", "provisioning.health.xsi-probe-interval must be "
                    + "0s (no probe) or between 1s and 1h (e.g. 30s), not " + interval);
        }
        if (timeout == null || timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            errors.rejectValue("health.xsiProbeTimeout", "invalid", "provisioning.health.xsi-probe-timeout must be "
                    + "between 100ms and 1m (e.g. 5s), not " + timeout);
        } else if (probing && timeout.compareTo(interval) > 0) {
            errors.rejectValue("health.xsiProbeTimeout", "invalid", "provisioning.health.xsi-probe-timeout (" + timeout
                    + ") must be at most provisioning.health.xsi-probe-interval (" + interval + "): probes would pile up");
        }
    }

    /** Audio downloads: a size a voice message fits in, a deadline a download can meet, a sane pool. */
    private static void validateVoicemail(ProvisioningProperties.Voicemail voicemail, Errors errors) {
        if (voicemail.getMaxAudioSize() == null || voicemail.getMaxAudioSize().toBytes() < 64 * 1024
                || voicemail.getMaxAudioSize().toBytes() > 1024L * 1024 * 1024) {
            errors.rejectValue("voicemail.maxAudioSize", "invalid", "provisioning.voicemail.max-audio-size must be "
                    + "between 64KB and 1GB (a minute of voice is about 1MB as WAV), not " + voicemail.getMaxAudioSize());
        }
        if (voicemail.getAudioDeadline() == null || voicemail.getAudioDeadline().compareTo(Duration.ofSeconds(1)) < 0) {
            errors.rejectValue("voicemail.audioDeadline", "invalid",
                    "provisioning.voicemail.audio-deadline must be at least 1s (e.g. 2m), not " + voicemail.getAudioDeadline());
        }
        if (voicemail.getAudioConnectionsPerHost() < 1 || voicemail.getAudioConnectionsPerHost() > 10000) {
            errors.rejectValue("voicemail.audioConnectionsPerHost", "invalid",
                    "provisioning.voicemail.audio-connections-per-host must be between 1 and 10000, not "
                            + voicemail.getAudioConnectionsPerHost());
        }
    }

    /** A call and a request need some time; a request at least as much as one call. */
    private static void validateTimes(ProvisioningProperties properties, Errors errors) {
        Duration call = properties.getBackendTimeout();
        Duration request = properties.getRequestDeadline();
        if (call == null || call.compareTo(Duration.ofMillis(100)) < 0) {
            errors.rejectValue("backendTimeout", "invalid",
                    "provisioning.backend-timeout must be at least 100ms (e.g. 5s), not " + call);
        }
        if (request == null || request.compareTo(Duration.ofMillis(100)) < 0) {
            errors.rejectValue("requestDeadline", "invalid",
                    "provisioning.request-deadline must be at least 100ms (e.g. 10s), not " + request);
        } else if (call != null && request.compareTo(call) < 0) {
            errors.rejectValue("requestDeadline", "invalid", "provisioning.request-deadline (" + request
                    + ") must be at least provisioning.backend-timeout (" + call + "): no call could take its time");
        }
    }

    /**
     * The dial action's URL receives the app's token: it must be the operator's own https address, so outside the
     * demo it is required as soon as a tenant offers that action (see {@link PublicUrl}).
     */
    private static void validatePublicUrl(ProvisioningProperties properties, Errors errors) {
        String url = properties.getPublicUrl() == null ? "" : properties.getPublicUrl().strip();
        boolean demo = properties.getDemo().isEnabled();
        if (url.isEmpty()) {
            List<String> offering = properties.getTenants().entrySet().stream()
                    .filter(e -> e.getValue() != null && e.getValue().getDialActions() != null
                            && e.getValue().getDialActions().isCallFromOtherPhone())
                    .map(Map.Entry::getKey).toList();
            if (!demo && !offering.isEmpty()) {
                errors.rejectValue("publicUrl", "required", "provisioning.public-url is not set: the URL of the "
                        + "call-from-other-phone dial action, to which the app posts its token, must be the proxy's own "
                        + "https address (e.g. https://prov.example.com), never one taken from a request; or set "
                        + "dial-actions.call-from-other-phone: false for the tenants offering it ("
                        + String.join(", ", offering) + ")");
            }
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            // reject() rather than rejectValue(): a field error would print the credential at start
            errors.reject("invalid", "provisioning.public-url must not hold a user name or password");
            return;
        }
        // plain http only for the demo, which is never for real users
        boolean scheme = uri != null && ("https".equalsIgnoreCase(uri.getScheme())
                || demo && "http".equalsIgnoreCase(uri.getScheme()));
        if (!scheme || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            errors.rejectValue("publicUrl", "invalid", "provisioning.public-url must be the https base URL the app "
                    + "reaches the proxy at (e.g. https://prov.example.com, no query or fragment), not '" + url + "'");
        }
    }

    private static void validateTenant(String key, Tenant tenant, Errors errors) {
        String prefix = "provisioning.tenants." + key + ".";
        String field = "tenants[" + key + "]";
        if (tenant == null || !StringUtils.hasText(tenant.getXsiUrl())) {
            errors.rejectValue(tenant == null ? field : field + ".xsiUrl", "required", prefix + "xsi-url is not set");
            return;
        }
        if (!tenant.getXsiUrl().startsWith("http://") && !tenant.getXsiUrl().startsWith("https://")) {
            errors.rejectValue(field + ".xsiUrl", "invalid", prefix + "xsi-url must be an http(s) URL");
        }
        int logout = tenant.getLogoutStatusCode();
        if (logout < 400 || logout > 499 || RESERVED_STATUSES.contains(logout)) {
            errors.rejectValue(field + ".logoutStatusCode", "invalid", prefix + "logout-status-code must be a 4xx "
                    + "status other than 400, 401, 404 and 409 (e.g. 410), not " + logout);
        }
        if (TenantSettings.Blf.of(tenant.getBlf()).isEmpty()) {
            errors.rejectValue(field + ".blf", "invalid", prefix + "blf must be list, users or off, not '"
                    + tenant.getBlf() + "'");
        }
        if (TenantSettings.TlsTransport.of(tenant.getTlsTransport()).isEmpty()) {
            // the colon makes an unquoted YAML value a mapping: say how to write it
            errors.rejectValue(field + ".tlsTransport", "invalid", prefix + "tls-transport must be \"tls+sip:\" "
                    + "(quoted in YAML) or tls, not '" + tenant.getTlsTransport() + "'");
        }
        if (TenantSettings.NetworkId.of(tenant.getNetworkId()).isEmpty()) {
            errors.rejectValue(field + ".networkId", "invalid", prefix + "network-id must be group, enterprise or "
                    + "off, not '" + tenant.getNetworkId() + "'");
        }
        validateDirectory(prefix, field, tenant, errors);
        validatePlatformAliases(prefix, field, tenant, errors);
        validateFileRoots(prefix, field, tenant, errors);
        for (String host : tenant.getDmsHosts()) {
            if (host == null || !DMS_HOST.matcher(host.trim()).matches()) {
                errors.rejectValue(field + ".dmsHosts", "invalid", prefix + "dms-hosts: each entry is a host name "
                        + "or address, optionally with :port (e.g. dms.acme.example or dms.acme.example:8443), not '"
                        + host + "'");
            }
        }
    }

    /** Directory credentials come in pairs; the scope names one; the time is not negative. */
    private static void validateDirectory(String prefix, String field, Tenant tenant, Errors errors) {
        ProvisioningProperties.Directory directory = tenant.getDirectory();
        if (directory == null) {
            errors.rejectValue(field + ".directory", "required", prefix + "directory must not be empty");
            return;
        }
        if (StringUtils.hasText(directory.getUser()) != StringUtils.hasText(directory.getPassword())) {
            errors.rejectValue(field + ".directory", "invalid", prefix + "directory.user and directory.password "
                    + "are set together (a BroadWorks administrator of the tenant's enterprises), or neither (each "
                    + "subscriber's own credentials)");
        }
        if (directory.getCacheTtl() == null || directory.getCacheTtl().isNegative()) {
            errors.rejectValue(field + ".directory.cacheTtl", "invalid", prefix + "directory.cache-ttl must be 0s "
                    + "or more");
        }
        if (directory.getMaxEntries() < 1 || directory.getMaxEntries() > 1_000_000) {
            errors.rejectValue(field + ".directory.maxEntries", "invalid", prefix + "directory.max-entries must be "
                    + "1 to 1000000, not " + directory.getMaxEntries());
        }
        if (TenantSettings.DirectoryScope.of(directory.getScope()).isEmpty()) {
            errors.rejectValue(field + ".directory.scope", "invalid", prefix + "directory.scope must be auto, "
                    + "enterprise or group, not '" + directory.getScope() + "'");
        }
    }

    /** A device file's root element names: XML names, '|' between them. */
    private static void validateFileRoots(String prefix, String field, Tenant tenant, Errors errors) {
        tenant.getPlatforms().forEach((name, platform) -> {
            String root = platform == null ? null : platform.getFileRoot();
            if (root != null && !XML_NAMES.matcher(root.trim()).matches()) {
                errors.rejectValue(field + ".platforms", "invalid", prefix + "platforms." + name + ".file-root must "
                        + "be the root element name of the device file (e.g. config; '|' between names), not '"
                        + root + "'");
            }
        });
    }

    /** Each alias names a platform the tenant has; names are told apart as requests compare them. */
    private static void validatePlatformAliases(String prefix, String field, Tenant tenant, Errors errors) {
        Set<String> platforms = new TreeSet<>(new Tenant().getPlatforms().keySet());
        platforms.addAll(tenant.getPlatforms().keySet());
        Map<String, String> seen = new HashMap<>();
        tenant.getPlatformAliases().forEach((name, platform) -> {
            String key = TenantSettings.platformKey(name);
            String target = platform == null ? "" : platform.trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                errors.rejectValue(field + ".platformAliases", "invalid", prefix + "platform-aliases: '" + name
                        + "' is no platform name (letters or digits needed)");
            } else if (!platforms.contains(target)) {
                errors.rejectValue(field + ".platformAliases", "invalid", prefix + "platform-aliases." + name
                        + " must name a platform of the tenant (" + String.join(", ", platforms) + "), not '"
                        + platform + "'");
            } else if (seen.containsKey(key) && !tenant.getPlatformAliases().get(seen.get(key)).trim()
                    .equalsIgnoreCase(target)) {
                errors.rejectValue(field + ".platformAliases", "invalid", prefix + "platform-aliases: '"
                        + seen.get(key) + "' and '" + name + "' are the same name with different platforms");
            }
            seen.putIfAbsent(key, name);
        });
    }

    private static void validateTokenKeys(List<TokenKey> keys, boolean demo, Errors errors) {
        if (keys.isEmpty() && !demo) {
            errors.rejectValue("token.keys", "required", "provisioning.token.keys is empty: configure at least one "
                    + "key {id, secret: 32 random bytes in base64, e.g. openssl rand -base64 32}");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            TokenKey key = keys.get(i);
            String id = key == null ? null : key.getId();
            String where = "provisioning.token.keys[" + i + "]";
            if (!StringUtils.hasText(id) || !ids.add(id)) {
                errors.rejectValue("token.keys[" + i + "].id", "invalid",
                        where + ".id: every key needs its own non-empty id" + (StringUtils.hasText(id)
                                ? " ('" + id + "' is already used by an earlier key)" : ""));
            }
            // reject() rather than rejectValue(): a field error would print the (nearly right) secret at start
            String secret = key == null || key.getSecret() == null ? "" : key.getSecret().trim();
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(secret);
            } catch (IllegalArgumentException e) {
                errors.reject("invalid", where + " (id '" + id + "'): secret is not base64");
                continue;
            }
            if (decoded.length != TOKEN_KEY_BYTES) {
                errors.reject("invalid", where + " (id '" + id + "'): secret must be " + TOKEN_KEY_BYTES
                        + " random bytes in base64 (e.g. openssl rand -base64 32), not " + decoded.length + " bytes");
            }
        }
    }

    private static void validateTokenMaxAge(Duration maxAge, Errors errors) {
        // under a minute would log every app out between two refreshes
        if (maxAge == null || maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
            errors.rejectValue("token.maxAge", "invalid",
                    "provisioning.token.max-age must be at least 1m (e.g. 180d), not " + maxAge);
        }
    }

    private static void validateFailedSignIns(ProvisioningProperties.FailedSignIns limits, Errors errors) {
        if (limits.getPerUser() < 0 || limits.getPerAddress() < 0) {
            errors.rejectValue("failedSignIns", "invalid", "provisioning.failed-sign-ins.per-user and .per-address "
                    + "must be 0 (no limit) or more, not " + limits.getPerUser() + " and " + limits.getPerAddress());
        }
        Duration period = limits.getPeriod();
        if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
            errors.rejectValue("failedSignIns.period", "invalid",
                    "provisioning.failed-sign-ins.period must be between 1s and 1d (e.g. 1m), not " + period);
        }
        if (limits.getMaxEntries() < 1) {
            errors.rejectValue("failedSignIns.maxEntries", "invalid",
                    "provisioning.failed-sign-ins.max-entries must be at least 1, not " + limits.getMaxEntries());
        }
    }

    private static void validateTrustedProxies(List<String> proxies, Errors errors) {
        for (int i = 0; i < proxies.size(); i++) {
            if (TrustedProxies.mask(proxies.get(i)) == null) {
                errors.rejectValue("trustedProxies[" + i + "]", "invalid", "provisioning.trusted-proxies[" + i
                        + "] must be an IP address or a CIDR (e.g. 10.0.0.0/8, 2001:db8::/32), not '" + proxies.get(i)
                        + "'");
            }
        }
    }

    private static void validateOperator(ProvisioningProperties properties, Errors errors) {
        Explain explain = properties.getExplain();
        ProvisioningProperties.Operator operator = properties.getOperator();
        boolean named = StringUtils.hasText(operator.getUser()) || StringUtils.hasText(operator.getPassword());
        if (named && (StringUtils.hasText(explain.getUser()) || StringUtils.hasText(explain.getPassword()))) {
            errors.rejectValue("explain.user", "ambiguous", "provisioning.explain.user/.password is the old name of "
                    + "provisioning.operator.user/.password: set one of them");
        }
        ProvisioningProperties.Operator credential = properties.operatorCredential();
        boolean user = StringUtils.hasText(credential.getUser());
        boolean password = StringUtils.hasText(credential.getPassword());
        if (user != password) {
            errors.rejectValue("operator.user", "incomplete",
                    "provisioning.operator.user and .password go together: set both, or neither");
        } else if (explain.isEnabled() && !user) {
            errors.rejectValue("explain.enabled", "required",
                    "provisioning.explain.enabled needs provisioning.operator.user and .password");
        }
    }

    /** Checked only when on: the cluster needs a port, and one way to find the other replicas. */
    private static void validateSharedCache(ProvisioningProperties.SharedCache shared, Errors errors) {
        if (!shared.isEnabled()) {
            return;
        }
        if (shared.getPort() < 1 || shared.getPort() > 65535) {
            errors.rejectValue("sharedCache.port", "invalid", "provisioning.shared-cache.port must be between 1 and "
                    + "65535, not " + shared.getPort());
        }
        boolean members = !shared.getMembers().isEmpty();
        boolean dns = StringUtils.hasText(shared.getDnsQuery());
        if (members == dns) {
            errors.rejectValue("sharedCache.members", "invalid", "provisioning.shared-cache: give either .members "
                    + "(host[:port] list) or .dns-query (a headless Service's name), exactly one of them");
        }
        for (String member : shared.getMembers()) {
            if (member == null || !DMS_HOST.matcher(member.trim()).matches()) {
                errors.rejectValue("sharedCache.members", "invalid", "provisioning.shared-cache.members: '" + member
                        + "' is no host or host:port");
            }
        }
        if (!StringUtils.hasText(shared.getClusterName())) {
            errors.rejectValue("sharedCache.clusterName", "invalid", "provisioning.shared-cache.cluster-name is empty");
        }
        Duration join = shared.getJoinTimeout();
        if (join == null || join.compareTo(Duration.ofMillis(500)) < 0 || join.compareTo(Duration.ofMinutes(1)) > 0) {
            errors.rejectValue("sharedCache.joinTimeout", "invalid",
                    "provisioning.shared-cache.join-timeout must be between 500ms and 1m, not " + join);
        }
    }
}
