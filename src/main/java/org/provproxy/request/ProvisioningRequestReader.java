package org.provproxy.request;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.account.AccountTokens;
import org.provproxy.config.PublicUrl;
import org.provproxy.config.TenantSettings;
import org.provproxy.config.Tenants;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Reads the app's request (query or form parameters, which platform-http puts in headers) into the typed context
 * the routes carry: {@link #identify} makes the {@link Caller} (variable {@code caller}), the {@code read…}
 * methods the {@link SignIn} (variable {@code signIn}), through {@link SignIns}. What cannot be provisioned is
 * refused here, once: unknown tenant, missing credentials, a token that does not open. A platform name is never
 * refused (see {@link #platform(String, Map)}).
 */
@Component("provisioningRequest")
public class ProvisioningRequestReader {

    public static final String REQUEST_ID_MDC = "requestId";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    /** A phone number, extension or SIP address the app dials: digits, letters, + * # and SIP punctuation. */
    private static final Pattern DIALABLE = Pattern.compile("[A-Za-z0-9+*#@._:;=-]{1,128}");
    private static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.GERMAN, new Locale("es"));
    /** Platform names the app is known to send, by {@link TenantSettings#platformKey}; any other name is mobile. */
    private static final Map<String, String> KNOWN_PLATFORMS = Map.ofEntries(
            Map.entry("mobile", "mobile"), Map.entry("ios", "mobile"), Map.entry("ipados", "mobile"),
            Map.entry("android", "mobile"),
            Map.entry("desktop", "desktop"), Map.entry("windows", "desktop"), Map.entry("macos", "desktop"),
            Map.entry("mac", "desktop"), Map.entry("macosx", "desktop"), Map.entry("osx", "desktop"),
            Map.entry("linux", "desktop"));
    /** How many different unknown platform names are logged at most (each once). */
    private static final int UNKNOWN_PLATFORMS_LOGGED = 100;

    private final Tenants tenants;
    private final AccountTokens tokens;
    private final SignIns signIns;
    private final PublicUrl publicUrl;
    private final RequestDeadlines deadlines;
    private final UnknownPlatforms unknownPlatforms = new UnknownPlatforms(UNKNOWN_PLATFORMS_LOGGED);

    public ProvisioningRequestReader(Tenants tenants, AccountTokens tokens, SignIns signIns, PublicUrl publicUrl,
                                     RequestDeadlines deadlines) {
        this.deadlines = deadlines;
        this.tenants = tenants;
        this.tokens = tokens;
        this.signIns = signIns;
        this.publicUrl = publicUrl;
    }

    /** First step of every endpoint: request id and language, so even a refused request gets both. */
    public Caller identify(Message in) {
        String requestId = requestId(in.getHeader("X-Request-Id", String.class));
        MDC.put(REQUEST_ID_MDC, requestId);
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        URI uri = url != null ? URI.create(url) : null;
        return new Caller(requestId,
                locale(param(in, "locale"), in.getHeader("Accept-Language", String.class)),
                in.getHeader(Exchange.HTTP_METHOD, "GET", String.class),
                uri != null ? uri.getPath() : "/",
                // the operator's address, not the request's Host: anyone can forge that one
                publicUrl.base(),
                // conditional request headers, kept before the app's headers are dropped
                in.getHeader("If-None-Match", String.class),
                in.getHeader("If-Modified-Since", String.class),
                deadlines.of(in));
    }

    /** Initial provisioning: user name and password as typed, Cloud ID, platform. */
    public SignIn readAccount(Message in, @Variable("caller") Caller caller) {
        return signIn(in, caller, RequestKind.ACCOUNT);
    }

    /** Explain: read like initial provisioning. */
    public SignIn readExplain(Message in, @Variable("caller") Caller caller) {
        return signIn(in, caller, RequestKind.EXPLAIN);
    }

    /** Re-provisioning: everything comes from the sealed token the app stored at initial provisioning. */
    public SignIn readRefresh(Message in, @Variable("caller") Caller caller) {
        return withToken(in, caller, RequestKind.REFRESH, null);
    }

    /** Global provisioning: the sign-in's user name and password, or (periodic refresh) the account's token. */
    public SignIn readGlobal(Message in, @Variable("caller") Caller caller) {
        String token = param(in, "token");
        return token != null && !token.isBlank() ? withToken(in, caller, RequestKind.GLOBAL, null)
                : signIn(in, caller, RequestKind.GLOBAL);
    }

    /** A dial action the app runs for a number: the account's token and the number. */
    public SignIn readDialAction(Message in, @Variable("caller") Caller caller) {
        String number = param(in, "number");
        SignIn signIn = withToken(in, caller, RequestKind.DIAL_ACTION, number == null ? null : number.trim());
        if (number == null || !DIALABLE.matcher(number.trim()).matches()) {
            throw new ProvisioningFailure(FailureKind.BAD_NUMBER, "no dialable number");
        }
        return signIn;
    }

    private SignIn signIn(Message in, Caller caller, RequestKind kind) {
        String username = param(in, "username", "cloud_username");
        String password = param(in, "password", "cloud_password");
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            throw new ProvisioningFailure(FailureKind.BAD_REQUEST, "user name or password missing");
        }
        String tenantKey = tenants.resolve(param(in, "cloud_id", "fullcode"))
                .orElseThrow(() -> new ProvisioningFailure(FailureKind.UNKNOWN_TENANT, "no tenant for Cloud ID"));
        TenantSettings tenant = tenants.settings(tenantKey);
        String userId = userId(username.trim(), tenant.userDomain());
        return signIns.of(caller, kind, tenantKey, userId, password, platform(param(in, "platform"), tenant),
                null, null, null);
    }

    private SignIn withToken(Message in, Caller caller, RequestKind kind, String dialNumber) {
        AccountToken token = openToken(in);
        String tenantKey = tokenTenant(token);
        String platform = platform(param(in, "platform"), tenants.settings(tenantKey));
        SignIn signIn = signIns.of(caller, kind, tenantKey, token.userId(), token.password(), platform, token,
                param(in, "token").trim(), dialNumber);
        if (tokens.expired(token)) {
            throw new ExpiredToken(signIn);
        }
        return signIn;
    }

    /** The tenant's platform for the app's name; an unrecognised name is logged (once) and provisioned as mobile. */
    private String platform(String value, TenantSettings tenant) {
        if (value != null && !value.isBlank() && !recognised(value, tenant.platformAliases())) {
            unknownPlatforms.note(value, tenant.key());
        }
        return platform(value, tenant.platformAliases());
    }

    private AccountToken openToken(Message in) {
        String sealed = param(in, "token");
        if (sealed == null || sealed.isBlank()) {
            throw new ProvisioningFailure(FailureKind.MISSING_TOKEN, "no token");
        }
        return tokens.open(sealed);
    }

    private String tokenTenant(AccountToken token) {
        return tenants.resolve(token.tenant()).filter(key -> key.equals(token.tenant()))
                .orElseThrow(() -> new ProvisioningFailure(FailureKind.UNKNOWN_TENANT, "token of a removed tenant"));
    }

    static String userId(String username, String domain) {
        return username.contains("@") || domain == null || domain.isBlank() ? username : username + "@" + domain;
    }

    /**
     * The platform to provision for the app's {@code %platform%} value, which is never refused: the tenant's alias
     * ({@code aliases} by {@link TenantSettings#platformKey}), else desktop for a recognised desktop name, else
     * mobile (also when absent). Names compare ignoring case, spaces and punctuation.
     */
    public static String platform(String value, Map<String, String> aliases) {
        String key = TenantSettings.platformKey(value);
        String alias = aliases.get(key);
        if (alias != null) {
            return alias;
        }
        return KNOWN_PLATFORMS.getOrDefault(key, "mobile");
    }

    private static boolean recognised(String value, Map<String, String> aliases) {
        String key = TenantSettings.platformKey(value);
        return aliases.containsKey(key) || KNOWN_PLATFORMS.containsKey(key);
    }

    /** The caller's request id if it sent a sane one, else a new one. */
    public static String requestId(String incoming) {
        return incoming != null && SAFE_REQUEST_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }

    /** The answer's language: the {@code locale} parameter, else Accept-Language, else English. */
    public static Locale locale(String requested, String acceptLanguage) {
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

}
