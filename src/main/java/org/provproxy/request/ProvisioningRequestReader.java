package org.provproxy.request;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.account.AccountTokens;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.PublicUrl;
import org.provproxy.config.TenantSettings;
import org.provproxy.config.Tenants;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Reads the app's request (query or form parameters, {@link RequestParameters}: never request headers, which
 * platform-http mixes into the same message headers) into the typed context the routes carry: {@link #identify}
 * makes the {@link Caller} (variable {@code caller}), the {@code read…} methods the {@link SignIn} (variable
 * {@code signIn}), through {@link SignIns}. What cannot be provisioned is refused here, once: a HEAD, unclean
 * parameters, unknown tenant, missing credentials, a user name that is a dot-segment, too many failed sign-ins, a
 * token that does not open. A platform name is never refused (see {@link #platform(String, Map)}).
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
    private final ProvisioningProperties properties;
    private final ClientAddresses clientAddresses;
    private final FailedSignInLimits failedSignIns;
    private final RequestDeadlines deadlines;
    private final org.provproxy.voicemail.AudioLinks audioLinks;
    private final UnknownPlatforms unknownPlatforms = new UnknownPlatforms(UNKNOWN_PLATFORMS_LOGGED);

    public ProvisioningRequestReader(Tenants tenants, AccountTokens tokens, SignIns signIns, PublicUrl publicUrl,
                                     ProvisioningProperties properties, ClientAddresses clientAddresses,
                                     FailedSignInLimits failedSignIns, RequestDeadlines deadlines,
                                     org.provproxy.voicemail.AudioLinks audioLinks) {
        this.deadlines = deadlines;
        this.audioLinks = audioLinks;
        this.tenants = tenants;
        this.tokens = tokens;
        this.signIns = signIns;
        this.publicUrl = publicUrl;
        this.properties = properties;
        this.clientAddresses = clientAddresses;
        this.failedSignIns = failedSignIns;
    }

    /** First step of every endpoint: request id and language, so even a refused request gets both. */
    public Caller identify(Message in) {
        String requestId = requestId(in.getHeader("X-Request-Id", String.class));
        MDC.put(REQUEST_ID_MDC, requestId);
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        URI uri = url != null ? URI.create(url) : null;
        return new Caller(requestId,
                // leniently: even a request refused for its parameters is answered in its language
                locale(parameters(in).lenient("locale"), in.getHeader("Accept-Language", String.class)),
                in.getHeader(Exchange.HTTP_METHOD, "GET", String.class),
                uri != null ? uri.getPath() : "/",
                // the operator's address, not the request's Host: anyone can forge that one
                publicUrl.base(),
                // conditional request headers, kept before the app's headers are dropped
                in.getHeader("If-None-Match", String.class),
                in.getHeader("If-Modified-Since", String.class),
                deadlines.of(in),
                Caller.acceptsGzip(in.getHeader("Accept-Encoding", String.class)),
                Caller.prefersJson(in.getHeader("Accept", String.class)),
                in instanceof PlatformHttpMessage http ? http.getResponse() : null);
    }

    /**
     * As {@link #identify}, without the app's validators: for a change or a download, which confirm nothing, so
     * that a failure is never answered "not modified" (a 304 to a PUT reads as "done, nothing changed"; to a player,
     * as audio it never got).
     */
    public Caller identifyUnconditional(Message in) {
        Caller caller = identify(in);
        return new Caller(caller.requestId(), caller.locale(), caller.method(), caller.path(), caller.baseUrl(), null,
                null, caller.deadline(), caller.gzip(), caller.json(), caller.answer());
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

    /** The contacts web service: the account's token (wsContacts posts %account[X-xsi-token]%). */
    public SignIn readContacts(Message in, @Variable("caller") Caller caller) {
        return withToken(in, caller, RequestKind.CONTACTS, null);
    }

    /** The call history web service: the account's token. */
    public SignIn readCallHistory(Message in, @Variable("caller") Caller caller) {
        return withToken(in, caller, RequestKind.CALL_HISTORY, null);
    }

    /** The call features web services (read, change): the account's token. */
    public SignIn readFeatures(Message in, @Variable("caller") Caller caller) {
        return withToken(in, caller, RequestKind.FEATURES, null);
    }

    /** The voicemail web services (list, mark, delete): the account's token. */
    public SignIn readVoicemail(Message in, @Variable("caller") Caller caller) {
        return withToken(in, caller, RequestKind.VOICEMAIL, null);
    }

    /**
     * A voice message's audio ({@code /services/voicemail/{id}/audio}): the short-lived {@code link} the voicemail
     * list put in the URL (a media player opens it without the account's token; it opens only for this message,
     * {@link org.provproxy.voicemail.AudioLinks#open}), else the account's {@code token}. A link is not the app's
     * account: whatever XSI says of its credentials never answers the logout status ({@link RequestKind#VOICEMAIL_LINK}).
     */
    public SignIn readVoicemailAudio(Message in, @Variable("caller") Caller caller,
                                     @Variable("messageId") String messageId) {
        String link = param(in, "link");
        if (link == null || link.isBlank()) {
            return withToken(in, caller, RequestKind.VOICEMAIL, null);
        }
        AccountToken opened = audioLinks.open(link, messageId);
        String tenantKey = tokenTenant(opened);
        return signIns.of(caller, RequestKind.VOICEMAIL_LINK, tenantKey, opened.userId(), opened.password(),
                platform(null, tenants.settings(tenantKey).platformAliases()), null, null, null);
    }

    /**
     * A dial action the app runs for a number: the account's token and the number, as people write it
     * ({@code +1 (202) 555-0100} is dialled as {@code +12025550100}, {@link DialNumbers}).
     */
    public SignIn readDialAction(Message in, @Variable("caller") Caller caller) {
        String number = DialNumbers.normalize(param(in, "number"));
        SignIn signIn = withToken(in, caller, RequestKind.DIAL_ACTION, number);
        if (number == null || !DIALABLE.matcher(number).matches()) {
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
        if (dotSegment(userId)) {
            throw new ProvisioningFailure(FailureKind.BAD_USER_NAME, "a user name that is a path dot-segment");
        }
        if (kind != RequestKind.EXPLAIN) {
            // a typed password may be a guess: limited before XSI sees it (explain is behind the operator credential)
            failedSignIns.admit(userId, clientAddress(in), in.getExchange());
        }
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

    /**
     * A user id that is, or whose user part is, {@code .} or {@code ..}: as the XSI path segment it would name
     * another resource (encoding does not help, a dot is no reserved character). No BroadWorks user is named so.
     */
    static boolean dotSegment(String userId) {
        String user = userId.contains("@") ? userId.substring(0, userId.indexOf('@')) : userId;
        return user.equals(".") || user.equals("..");
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

    /**
     * The one value of the parameter known by any of {@code names}: see {@link RequestParameters#value}. Every
     * {@code read…} starts here, so a HEAD is refused (405) before anything is resolved: it would walk XSI as a GET
     * and drop the answer.
     */
    private String param(Message in, String... names) {
        if ("HEAD".equalsIgnoreCase(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            throw new ProvisioningFailure(FailureKind.METHOD_NOT_ALLOWED, "HEAD", Map.of("Allow", allowed(in)));
        }
        return parameters(in).value(names);
    }

    /** The methods the endpoint takes (its httpMethodRestrict), as Allow lists them. */
    private static String allowed(Message in) {
        String methods = in.getExchange().getFromEndpoint() instanceof PlatformHttpEndpoint endpoint
                && endpoint.getHttpMethodRestrict() != null ? endpoint.getHttpMethodRestrict() : "GET,POST";
        return Arrays.stream(methods.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                .map(m -> m.toUpperCase(Locale.ROOT)).distinct().sorted().collect(Collectors.joining(", "));
    }

    private String clientAddress(Message in) {
        return in instanceof PlatformHttpMessage http && http.getRequest() != null
                ? clientAddresses.of(http.getRequest()) : "-";
    }

    /** The parameters of the app's HTTP request (the servlet request platform-http keeps on the message). */
    private RequestParameters parameters(Message in) {
        return RequestParameters.of(in instanceof PlatformHttpMessage http ? http.getRequest() : null,
                properties.getMaxParameterSize().toBytes());
    }
}
