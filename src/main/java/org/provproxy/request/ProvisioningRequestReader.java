package org.provproxy.request;

import org.provproxy.account.AccountTokens;
import org.provproxy.account.AccountVersions;
import org.provproxy.backend.CredentialKeys;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.Tenants;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.provproxy.config.ProvisioningProperties.Platform;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Reads the app's request (query or form parameters, which platform-http puts in headers) into exchange
 * properties the routes use, and refuses what cannot be provisioned. Everything the walk needs is decided here,
 * once: tenant, XSI user id, platform and its device type.
 */
@Component("provisioningRequest")
public class ProvisioningRequestReader {

    public static final String REQUEST_ID_MDC = "requestId";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    /** A phone number, extension or SIP address the app dials: digits, letters, + * # and SIP punctuation. */
    private static final Pattern DIALABLE = Pattern.compile("[A-Za-z0-9+*#@._:;=-]{1,128}");
    private static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.GERMAN, new Locale("es"));
    private static final Map<String, String> PLATFORM_ALIASES = Map.ofEntries(
            Map.entry("mobile", "mobile"), Map.entry("ios", "mobile"), Map.entry("android", "mobile"),
            Map.entry("desktop", "desktop"), Map.entry("windows", "desktop"), Map.entry("macos", "desktop"),
            Map.entry("mac", "desktop"), Map.entry("linux", "desktop"));

    private final Tenants tenants;
    private final AccountTokens tokens;
    private final CredentialKeys credentialKeys;
    private final ProvisioningProperties properties;

    public ProvisioningRequestReader(Tenants tenants, AccountTokens tokens, CredentialKeys credentialKeys,
                                     ProvisioningProperties properties) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.credentialKeys = credentialKeys;
        this.properties = properties;
    }

    /** First step of every endpoint: request id and language, so even a refused request gets both. */
    public void identify(Exchange exchange) {
        Message in = exchange.getMessage();
        String incoming = in.getHeader("X-Request-Id", String.class);
        String requestId = incoming != null && SAFE_REQUEST_ID.matcher(incoming).matches()
                ? incoming : UUID.randomUUID().toString();
        exchange.setProperty("requestId", requestId);
        MDC.put(REQUEST_ID_MDC, requestId);
        exchange.setProperty("locale", locale(param(in, "locale"), in.getHeader("Accept-Language", String.class)));
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        if (url != null) {
            java.net.URI uri = java.net.URI.create(url);
            exchange.setProperty("requestBaseUrl", uri.getScheme() + "://" + uri.getRawAuthority());
        }
        // conditional request headers, kept before the app's headers are dropped
        exchange.setProperty("ifNoneMatch", in.getHeader("If-None-Match", String.class));
        exchange.setProperty("ifModifiedSince", in.getHeader("If-Modified-Since", String.class));
    }

    /** Initial provisioning: user name and password as typed, Cloud ID, platform. */
    public void read(Exchange exchange) {
        Message in = exchange.getMessage();
        String username = param(in, "username", "cloud_username");
        String password = param(in, "password", "cloud_password");
        exchange.setProperty("platform", platform(param(in, "platform")));
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            throw new ProvisioningFailure(FailureKind.BAD_REQUEST, "user name or password missing");
        }
        String tenantKey = tenants.resolve(param(in, "cloud_id", "fullcode"))
                .orElseThrow(() -> new ProvisioningFailure(FailureKind.UNKNOWN_TENANT, "no tenant for Cloud ID"));
        prepare(exchange, tenantKey, userId(username.trim(), tenants.get(tenantKey).getUserDomain()), password);
    }

    /** Re-provisioning: everything comes from the sealed token the app stored at initial provisioning. */
    public void readToken(Exchange exchange) {
        AccountTokens.AccountToken token = openToken(exchange);
        exchange.setProperty("refresh", true);
        // the version the app holds: what a 304 confirms when XSI cannot be asked (stamp() replaces it otherwise)
        exchange.setProperty("etag", AccountVersions.etag(token.accountHash()));
        exchange.setProperty("lastModified", AccountVersions.httpDate(token.issued()));
    }

    /** Global provisioning: the sign-in's user name and password, or (periodic refresh) the account's token. */
    public void readGlobal(Exchange exchange) {
        exchange.setProperty("answer", "global");
        String token = param(exchange.getMessage(), "token");
        if (token != null && !token.isBlank()) {
            openToken(exchange);
        } else {
            read(exchange);
        }
    }

    /** A dial action the app runs for a number: the account's token and the number. */
    public void readDialAction(Exchange exchange) {
        exchange.setProperty("answer", "dial-action");
        String number = param(exchange.getMessage(), "number");
        openToken(exchange);
        if (number == null || !DIALABLE.matcher(number.trim()).matches()) {
            throw new ProvisioningFailure(FailureKind.BAD_NUMBER, "no dialable number");
        }
        exchange.setProperty("dialNumberQuery", java.net.URLEncoder.encode(number.trim(), StandardCharsets.UTF_8));
    }

    private AccountTokens.AccountToken openToken(Exchange exchange) {
        Message in = exchange.getMessage();
        exchange.setProperty("platform", platform(param(in, "platform")));
        String sealed = param(in, "token");
        if (sealed == null || sealed.isBlank()) {
            throw new ProvisioningFailure(FailureKind.MISSING_TOKEN, "no token");
        }
        AccountTokens.AccountToken token = tokens.open(sealed);
        String tenantKey = tenants.resolve(token.tenant()).filter(key -> key.equals(token.tenant()))
                .orElseThrow(() -> new ProvisioningFailure(FailureKind.UNKNOWN_TENANT, "token of a removed tenant"));
        exchange.setProperty("token", token);
        exchange.setProperty("tokenText", sealed.trim());
        prepare(exchange, tenantKey, token.userId(), token.password());
        return token;
    }

    private void prepare(Exchange exchange, String tenantKey, String userId, String password) {
        Tenant tenant = tenants.get(tenantKey);
        String platform = exchange.getProperty("platform", String.class);
        Platform settings = tenants.platform(tenant, platform);
        String credentialKey = credentialKeys.of(userId, password);

        exchange.setProperty("tenant", tenantKey);
        exchange.setProperty("userId", userId);
        exchange.setProperty("xsiPassword", password);
        exchange.setProperty("xsiUserUrl", stripSlash(tenant.getXsiUrl()) + "/v2.0/user/"
                + UriUtils.encodePathSegment(userId, StandardCharsets.UTF_8));
        exchange.setProperty("xsiAuthorization", "Basic " + Base64.getEncoder()
                .encodeToString((userId + ":" + password).getBytes(StandardCharsets.UTF_8)));
        exchange.setProperty("credentialKey", credentialKey);
        exchange.setProperty("lastGoodKey", String.join("|", exchange.getProperty("answer", "account", String.class),
                tenantKey, userId, platform, credentialKey));
        exchange.setProperty("deviceType", settings.getDeviceType());
        exchange.setProperty("deviceFileName", settings.getFile());
        exchange.setProperty("useDigestAuth", tenant.isUseDigestAuth());
        exchange.setProperty("extProvInterval", tenant.getExtProvInterval());
        exchange.setProperty("logoutStatusCode", tenant.getLogoutStatusCode());
        exchange.setProperty("logoutWhenDeviceRemoved", tenant.isLogoutWhenDeviceRemoved());
        exchange.setProperty("cacheTtl", tenant.getCacheTtl() != null
                ? tenant.getCacheTtl() : properties.getCache().getTtl());
        exchange.setProperty("staleIfError", tenant.getStaleIfError() != null
                ? tenant.getStaleIfError() : properties.getCache().getStaleIfError());
    }

    static String userId(String username, String domain) {
        return username.contains("@") || domain == null || domain.isBlank() ? username : username + "@" + domain;
    }

    public static String platform(String value) {
        if (value == null || value.isBlank()) {
            return "mobile";
        }
        String platform = PLATFORM_ALIASES.get(value.trim().toLowerCase(Locale.ROOT));
        if (platform == null) {
            throw new ProvisioningFailure(FailureKind.UNKNOWN_PLATFORM, "platform not supported");
        }
        return platform;
    }

    static Locale locale(String requested, String acceptLanguage) {
        try {
            if (requested != null && !requested.isBlank()) {
                Locale lookup = Locale.lookup(Locale.LanguageRange.parse(requested.replace('_', '-')), LANGUAGES);
                if (lookup != null) {
                    return lookup;
                }
            }
            if (acceptLanguage != null && !acceptLanguage.isBlank()) {
                Locale lookup = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), LANGUAGES);
                if (lookup != null) {
                    return lookup;
                }
            }
        } catch (IllegalArgumentException malformed) {
            // a malformed language tag is no reason to refuse a sign-in: answer in English
        }
        return Locale.ENGLISH;
    }

    private static String param(Message in, String... names) {
        for (String name : names) {
            String value = in.getHeader(name, String.class);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
