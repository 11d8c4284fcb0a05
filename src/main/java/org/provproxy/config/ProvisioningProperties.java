package org.provproxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code provisioning.*} in application.yaml. Every key is documented there and in the README.
 * Checked while it is bound by {@link ProvisioningPropertiesValidator}: a bad setting stops the start.
 */
@ConfigurationProperties("provisioning")
@Validated
public class ProvisioningProperties {

    /** Tenant used when the request carries no Cloud ID, or one that matches no tenant. Empty: none. */
    private String defaultTenant = "";
    /** Tenants by Cloud ID (matched case-insensitively). */
    private Map<String, Tenant> tenants = new LinkedHashMap<>();
    /**
     * Budget of one whole XSI or DMS call: connecting, sending, the Digest challenge round trip, a retry on a dead
     * pooled connection and reading all of the answer. A call still running then is aborted (503, transient).
     */
    private Duration backendTimeout = Duration.ofSeconds(5);
    /**
     * Budget of one whole request, from its arrival: backend calls still running when it passes are aborted, and
     * the request is answered from the error table (transient: 304, last good account, or 503 + Retry-After).
     */
    private Duration requestDeadline = Duration.ofSeconds(10);
    /** Sent as Retry-After with every 503. */
    private Duration retryAfter = Duration.ofSeconds(30);
    /**
     * Largest XSI or DMS answer read, counted after decompression; a larger one fails the request (502, transient)
     * and its connection is closed. Real documents take a few kilobytes.
     */
    private DataSize backendMaxAnswerSize = DataSize.ofMegabytes(5);
    /** Connections to one XSI or DMS host (per backend client): the most calls to it in flight at once. */
    private int backendConnectionsPerHost = 500;
    /**
     * Base URL at which the app reaches this proxy (https, e.g. https://prov.example.com), used in the dial action
     * URLs it provisions (the app posts its token there). Required outside the demo when a tenant offers
     * call-from-other-phone; never taken from a request. Empty in the demo: http://localhost:&lt;server port&gt;.
     */
    private String publicUrl = "";
    /**
     * Largest request body accepted; the app's forms are a few hundred bytes. A larger one is answered 413 before it
     * is read (platform-http would read it whole, past the web server's form size limit).
     */
    private DataSize maxRequestSize = DataSize.ofKilobytes(16);
    /**
     * Longest value of any one request parameter (query or form), in UTF-8 bytes; the app's values take a few dozen
     * bytes, a token about 500. A longer one is answered 413 before anything is resolved, so it never reaches XSI.
     */
    private DataSize maxParameterSize = DataSize.ofKilobytes(1);
    /**
     * The balancers or reverse proxies in front of the proxy, as addresses or CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32).
     * Only a request whose peer is one of them has its client address taken from X-Forwarded-For (the nearest
     * address there that is not one of them); any other request's client is its peer. Empty: always the peer.
     */
    private List<String> trustedProxies = new ArrayList<>();
    /** Limits of failed sign-ins (wrong credentials, user gone), per user name and per client address. */
    private final FailedSignIns failedSignIns = new FailedSignIns();
    /** Where the Camel YAML routes are read from; default file:routes if ./routes exists, else classpath:routes. */
    private String routesLocation = "classpath:routes";
    /** Where the XSLT stylesheets are read from; default file:xslt if ./xslt exists, else classpath:xslt. */
    private String xsltLocation = "classpath:xslt";
    /** The built-in demo XSI/DMS backend. */
    private final Demo demo = new Demo();
    /** The sealed re-provisioning token. */
    private final Token token = new Token();
    /** Record mode: walks written as sample folders. */
    private final Record record = new Record();
    /** The operators' explain endpoint. */
    private final Explain explain = new Explain();
    /** The operator credential: explain, health details, metrics, portal settings. */
    private final Operator operator = new Operator();
    /** Caches of XSI/DMS answers and last good accounts. */
    private final Cache cache = new Cache();
    /** Live reload of routes and stylesheets read from folders. */
    private final Reload reload = new Reload();
    /** The cache shared by replicas (Infinispan embedded); off: each replica caches alone (Caffeine). */
    private final SharedCache sharedCache = new SharedCache();

    private final Voicemail voicemail = new Voicemail();
    /** Readiness: the probe of each tenant's XSI. */
    private final HealthSettings health = new HealthSettings();

    public String getDefaultTenant() { return defaultTenant; }
    public void setDefaultTenant(String defaultTenant) { this.defaultTenant = defaultTenant; }
    public Map<String, Tenant> getTenants() { return tenants; }
    public void setTenants(Map<String, Tenant> tenants) { this.tenants = tenants; }
    public Duration getBackendTimeout() { return backendTimeout; }
    public void setBackendTimeout(Duration backendTimeout) { this.backendTimeout = backendTimeout; }
    public Duration getRequestDeadline() { return requestDeadline; }
    public void setRequestDeadline(Duration requestDeadline) { this.requestDeadline = requestDeadline; }
    public Duration getRetryAfter() { return retryAfter; }
    public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }
    public DataSize getBackendMaxAnswerSize() { return backendMaxAnswerSize; }
    public int getBackendConnectionsPerHost() { return backendConnectionsPerHost; }
    public void setBackendConnectionsPerHost(int backendConnectionsPerHost) { this.backendConnectionsPerHost = backendConnectionsPerHost; }
    public void setBackendMaxAnswerSize(DataSize backendMaxAnswerSize) { this.backendMaxAnswerSize = backendMaxAnswerSize; }
    public String getPublicUrl() { return publicUrl; }
    public void setPublicUrl(String publicUrl) { this.publicUrl = publicUrl; }
    public DataSize getMaxRequestSize() { return maxRequestSize; }
    public void setMaxRequestSize(DataSize maxRequestSize) { this.maxRequestSize = maxRequestSize; }
    public DataSize getMaxParameterSize() { return maxParameterSize; }
    public void setMaxParameterSize(DataSize maxParameterSize) { this.maxParameterSize = maxParameterSize; }
    public List<String> getTrustedProxies() { return trustedProxies; }
    public void setTrustedProxies(List<String> trustedProxies) { this.trustedProxies = trustedProxies; }
    public FailedSignIns getFailedSignIns() { return failedSignIns; }
    public String getRoutesLocation() { return routesLocation; }
    public void setRoutesLocation(String routesLocation) { this.routesLocation = routesLocation; }
    public String getXsltLocation() { return xsltLocation; }
    public void setXsltLocation(String xsltLocation) { this.xsltLocation = xsltLocation; }
    public Demo getDemo() { return demo; }
    public Token getToken() { return token; }
    public Record getRecord() { return record; }
    public Explain getExplain() { return explain; }
    public Operator getOperator() { return operator; }

    /** The operator credential in force: provisioning.operator.*, else its old name provisioning.explain.user/.password. */
    public Operator operatorCredential() {
        if (StringUtils.hasText(operator.getUser()) || StringUtils.hasText(operator.getPassword())) {
            return operator;
        }
        Operator old = new Operator();
        old.setUser(explain.getUser());
        old.setPassword(explain.getPassword());
        return old;
    }
    public Cache getCache() { return cache; }
    public Reload getReload() { return reload; }
    public SharedCache getSharedCache() { return sharedCache; }
    public Voicemail getVoicemail() { return voicemail; }
    public HealthSettings getHealth() { return health; }

    public static class Tenant {
        /** Base URL of XSI-Actions, ending in /com.broadsoft.xsi-actions. Required. */
        private String xsiUrl;
        /** Appended (after '@') to login names typed without a domain. */
        private String userDomain = "";
        /** Device file download: HTTP Digest (true) or Basic (false). */
        private boolean useDigestAuth = true;
        /**
         * Hosts device files may be fetched from (host, or host:port for that port only). A device's deviceTypeUrl
         * comes from platform data and receives the device's credentials: any other host is refused (409). Empty:
         * the host of xsi-url.
         */
        private List<String> dmsHosts = new ArrayList<>();
        /** extProvInterval sent in the account, in seconds. */
        private int extProvInterval = 3600;
        /** Re-provisioning status that logs the app out: a 4xx other than 400, 401, 404 and 409. */
        private int logoutStatusCode = 410;
        /** Re-provisioning logs the app out (logout-status-code) when the platform's device was removed. */
        private boolean logoutWhenDeviceRemoved = false;
        /** Overrides provisioning.cache.ttl for this tenant. */
        private Duration cacheTtl;
        /** Overrides provisioning.cache.stale-if-error for this tenant. */
        private Duration staleIfError;
        /** Device type and profile file per platform (mobile, desktop); a field left out keeps its default. */
        private Map<String, Platform> platforms = defaultPlatforms();
        /** Dial actions of global provisioning. */
        private DialActions dialActions = new DialActions();
        /**
         * The app's platform names ({@code %platform%}) mapped to a platform of this tenant ({@code mobile},
         * {@code desktop}, or one added under {@code platforms}), e.g. {@code ChromeOS: desktop}. Names are compared
         * ignoring case, spaces and punctuation. A name not listed here follows the built-in rule: recognised
         * desktop names (Windows, macOS, Mac, OS X, Linux, Desktop) are desktop, anything else is mobile.
         */
        private Map<String, String> platformAliases = new LinkedHashMap<>();
        /**
         * What the account's {@code <blf>} holds: {@code list}, the BroadWorks resource-list URI (one subscription
         * for all monitored users); {@code users}, one URI per monitored user (for platforms without a
         * resource-list server); {@code off}, nothing.
         */
        private String blf = "list";
        /**
         * The account's transport when the device file says TLS: {@code tls+sip:} (TLS with sip: URIs, what
         * BroadWorks access SBCs normally expect) or {@code tls} (sips: URIs). Quote {@code "tls+sip:"} in YAML.
         */
        private String tlsTransport = "tls+sip:";
        /**
         * Send the profile's number as userCallerId (the app puts it in the From of its calls). Off: the key is
         * sent empty, so an app that had one clears it.
         */
        private boolean sendCallerId = false;
        /**
         * The account's {@code networkId}, by which the app tells on-net contacts: {@code group} (the subscriber's
         * BroadWorks group id), {@code enterprise} (the enterprise or service provider id) or {@code off} (sent
         * empty).
         */
        private String networkId = "group";
        /** The contacts web service: the BroadWorks enterprise or group directory. */
        private Directory directory = new Directory();

        public String getXsiUrl() { return xsiUrl; }
        public void setXsiUrl(String xsiUrl) { this.xsiUrl = xsiUrl; }
        public String getUserDomain() { return userDomain; }
        public void setUserDomain(String userDomain) { this.userDomain = userDomain; }
        public boolean isUseDigestAuth() { return useDigestAuth; }
        public void setUseDigestAuth(boolean useDigestAuth) { this.useDigestAuth = useDigestAuth; }
        public List<String> getDmsHosts() { return dmsHosts; }
        public void setDmsHosts(List<String> dmsHosts) { this.dmsHosts = dmsHosts; }
        public int getExtProvInterval() { return extProvInterval; }
        public void setExtProvInterval(int extProvInterval) { this.extProvInterval = extProvInterval; }
        public int getLogoutStatusCode() { return logoutStatusCode; }
        public void setLogoutStatusCode(int logoutStatusCode) { this.logoutStatusCode = logoutStatusCode; }
        public boolean isLogoutWhenDeviceRemoved() { return logoutWhenDeviceRemoved; }
        public void setLogoutWhenDeviceRemoved(boolean logoutWhenDeviceRemoved) { this.logoutWhenDeviceRemoved = logoutWhenDeviceRemoved; }
        public Duration getCacheTtl() { return cacheTtl; }
        public void setCacheTtl(Duration cacheTtl) { this.cacheTtl = cacheTtl; }
        public Duration getStaleIfError() { return staleIfError; }
        public void setStaleIfError(Duration staleIfError) { this.staleIfError = staleIfError; }
        public DialActions getDialActions() { return dialActions; }
        public void setDialActions(DialActions dialActions) { this.dialActions = dialActions; }
        public Map<String, Platform> getPlatforms() { return platforms; }
        public void setPlatforms(Map<String, Platform> platforms) { this.platforms = platforms; }
        public Map<String, String> getPlatformAliases() { return platformAliases; }
        public void setPlatformAliases(Map<String, String> platformAliases) { this.platformAliases = platformAliases; }
        public String getBlf() { return blf; }
        public void setBlf(String blf) { this.blf = blf; }
        public String getTlsTransport() { return tlsTransport; }
        public void setTlsTransport(String tlsTransport) { this.tlsTransport = tlsTransport; }
        public boolean isSendCallerId() { return sendCallerId; }
        public void setSendCallerId(boolean sendCallerId) { this.sendCallerId = sendCallerId; }
        public String getNetworkId() { return networkId; }
        public void setNetworkId(String networkId) { this.networkId = networkId; }
        public Directory getDirectory() { return directory; }
        public void setDirectory(Directory directory) { this.directory = directory; }

        private static Map<String, Platform> defaultPlatforms() {
            Map<String, Platform> platforms = new LinkedHashMap<>();
            platforms.put("mobile", new Platform("Business Communicator - Mobile", "mobile-config.xml"));
            platforms.put("desktop", new Platform("Business Communicator - PC", "config.xml"));
            platforms.values().forEach(platform -> platform.setFileRoot(Platform.UC_ONE_FILE_ROOT));
            return platforms;
        }
    }

    /** How a tenant's directory is read for the contacts web service. */
    public static class Directory {
        /**
         * A BroadWorks user or group/enterprise administrator allowed to read the directories of this tenant's
         * users (XSI Basic). Empty: each subscriber's own credentials.
         */
        private String user = "";
        private String password = "";
        /** How long a directory is kept and shared by every user of its enterprise or group (single flight). */
        private Duration cacheTtl = Duration.ofMinutes(10);
        /**
         * Which directory: {@code auto} (the enterprise's for users of an enterprise, else the group's, as the
         * profile says), {@code enterprise} or {@code group}.
         */
        private String scope = "auto";
        /** Most contacts read from one directory (pages of 1,000); a larger directory is cut there, with a warning. */
        private int maxEntries = 50_000;

        public int getMaxEntries() { return maxEntries; }
        public void setMaxEntries(int maxEntries) { this.maxEntries = maxEntries; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Duration getCacheTtl() { return cacheTtl; }
        public void setCacheTtl(Duration cacheTtl) { this.cacheTtl = cacheTtl; }
        public String getScope() { return scope; }
        public void setScope(String scope) { this.scope = scope; }
    }

    public static class Platform {
        /** The root element of UC-One device profile files. */
        static final String UC_ONE_FILE_ROOT = "config";
        /** deviceType of the BroadWorks access device to provision. */
        private String deviceType;
        /** Device profile file name, appended to the device's deviceTypeUrl. */
        private String file;
        /**
         * Root element of that file (default config, as UC-One files have it; '|' between accepted names). Any
         * other document the DMS answers (a sign-in or maintenance page) is a malformed answer.
         */
        private String fileRoot;

        public Platform() {
        }

        public Platform(String deviceType, String file) {
            this.deviceType = deviceType;
            this.file = file;
        }

        public String getDeviceType() { return deviceType; }
        public void setDeviceType(String deviceType) { this.deviceType = deviceType; }
        public String getFile() { return file; }
        public void setFile(String file) { this.file = file; }
        public String getFileRoot() { return fileRoot; }
        public void setFileRoot(String fileRoot) { this.fileRoot = fileRoot; }
    }

    public static class Demo {
        /** Serve the built-in demo XSI/DMS backend (from samples/) and its 'demo' tenant. Off in production. */
        private boolean enabled = true;
        /** Folder of sample cases the demo backend serves. */
        private String samplesDir = "samples";

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getSamplesDir() { return samplesDir; }
        public void setSamplesDir(String samplesDir) { this.samplesDir = samplesDir; }
    }

    public static class Token {
        /**
         * Keys of the re-provisioning token: {id, secret} with secret = 32 random bytes in base64. The first seals
         * new tokens, all open tokens, so a key can be rotated in by putting it first and out by removing it later.
         */
        private List<TokenKey> keys = new ArrayList<>();
        /**
         * How long a token opens after it was sealed; sliding: a refresh seals it again once it is older than half
         * of this. An expired token asks the app to sign in again.
         */
        private Duration maxAge = Duration.ofDays(180);

        public List<TokenKey> getKeys() { return keys; }
        public void setKeys(List<TokenKey> keys) { this.keys = keys; }
        public Duration getMaxAge() { return maxAge; }
        public void setMaxAge(Duration maxAge) { this.maxAge = maxAge; }
    }

    public static class TokenKey {
        /** Key id, written into each token it seals (the JWE kid); unique among the keys. */
        private String id;
        /** 32 random bytes in base64 (openssl rand -base64 32). */
        private String secret;

        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getSecret() { return secret; }
        public void setSecret(String secret) { this.secret = secret; }
    }

    public static class Cache {
        /** How long an XSI or DMS document is reused for the same user and credentials; 0s turns caching off. */
        private Duration ttl = Duration.ofSeconds(60);
        /** How long the last good account of a user may be served while XSI or the DMS is failing; 0s: never. */
        private Duration staleIfError = Duration.ofHours(24);
        /** Upper bound of entries in each cache (documents, last good accounts). */
        private long maxEntries = 200_000;

        public Duration getTtl() { return ttl; }
        public void setTtl(Duration ttl) { this.ttl = ttl; }
        public Duration getStaleIfError() { return staleIfError; }
        public void setStaleIfError(Duration staleIfError) { this.staleIfError = staleIfError; }
        public long getMaxEntries() { return maxEntries; }
        public void setMaxEntries(long maxEntries) { this.maxEntries = maxEntries; }
    }

    /**
     * The cache shared by replicas: documents, last good accounts and directories held by an Infinispan cluster of
     * the replicas (JGroups over TCP), in front of which each keeps its local cache.
     */
    public static class SharedCache {
        /** Share the caches with the other replicas; false: each replica caches alone and no cluster starts. */
        private boolean enabled = false;
        /** The cluster's name: replicas join only a cluster of the same name. */
        private String clusterName = "provisioning-proxy";
        /**
         * Address the cluster listens on. Empty: the loopback when every member is a loopback address, else the
         * first site-local address (10/8, 172.16/12, 192.168/16: a pod's or a VM's private address).
         */
        private String bindAddress = "";
        /** TCP port the cluster listens on (each replica; members without a port are reached on it). */
        private int port = 7800;
        /** Static discovery (TCPPING): the replicas as host or host:port. Either this or dns-query. */
        private List<String> members = new ArrayList<>();
        /** DNS discovery (DNS_PING): a name whose A records are the replicas, e.g. a Kubernetes headless Service. */
        private String dnsQuery = "";
        /** Longest the start waits to join the others; alone past it, it forms a cluster of its own (merged later). */
        private Duration joinTimeout = Duration.ofSeconds(3);

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getClusterName() { return clusterName; }
        public void setClusterName(String clusterName) { this.clusterName = clusterName; }
        public String getBindAddress() { return bindAddress; }
        public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public List<String> getMembers() { return members; }
        public void setMembers(List<String> members) { this.members = members; }
        public String getDnsQuery() { return dnsQuery; }
        public void setDnsQuery(String dnsQuery) { this.dnsQuery = dnsQuery; }
        public Duration getJoinTimeout() { return joinTimeout; }
        public void setJoinTimeout(Duration joinTimeout) { this.joinTimeout = joinTimeout; }
    }

    public static class DialActions {
        /**
         * Offer "call from my other phone" (XSI click-to-dial through this proxy) to users with BroadWorks Anywhere
         * locations or a desk phone.
         */
        private boolean callFromOtherPhone = true;
        /** Label of that action in the app. */
        private String callFromOtherPhoneLabel = "Call from my other phone";
        /** Further actions every user of the tenant gets, as they are. */
        private List<StaticDialAction> statics = new ArrayList<>();

        public boolean isCallFromOtherPhone() { return callFromOtherPhone; }
        public void setCallFromOtherPhone(boolean callFromOtherPhone) { this.callFromOtherPhone = callFromOtherPhone; }
        public String getCallFromOtherPhoneLabel() { return callFromOtherPhoneLabel; }
        public void setCallFromOtherPhoneLabel(String label) { this.callFromOtherPhoneLabel = label; }
        public List<StaticDialAction> getStatics() { return statics; }
        public void setStatics(List<StaticDialAction> statics) { this.statics = statics; }
    }

    /** A dial action given in configuration: the app calls {@code url} (with {@code post-data}) for a number. */
    public static class StaticDialAction {
        /** Id of the action in the app. */
        private String id;
        /** Label the app shows. */
        private String label;
        /** URL the app calls; %number% stands for the number dialled. */
        private String url;
        /** HTTP method of that call. */
        private String method = "GET";
        /** Body of a POST call. */
        private String postData = "";

        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getLabel() { return label; }
        public void setLabel(String label) { this.label = label; }
        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getMethod() { return method; }
        public void setMethod(String method) { this.method = method; }
        public String getPostData() { return postData; }
        public void setPostData(String postData) { this.postData = postData; }
    }

    public static class Record {
        /** User ids (or login names) whose every walk is written as a new sample folder; empty: none. */
        private List<String> users = new ArrayList<>();
        /** Where recorded sample folders go. */
        private String dir = "samples";

        public List<String> getUsers() { return users; }
        public void setUsers(List<String> users) { this.users = users; }
        public String getDir() { return dir; }
        public void setDir(String dir) { this.dir = dir; }
    }

    /**
     * The operator credential (HTTP Basic) that opens explain, the details of /actuator/health, /actuator/prometheus
     * and the portal settings. Unset: none of them opens (health still answers its status to anyone).
     */
    public static class Operator {
        private String user = "";
        private String password = "";

        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
    }

    public static class Explain {
        /** Serve GET /provisioning/explain (how a sign-in is walked, for operators). Off by default. */
        private boolean enabled = false;
        /** The operator credential's user name under its first name; provisioning.operator.user replaces it. */
        private String user = "";
        /** The operator credential's password under its first name; provisioning.operator.password replaces it. */
        private String password = "";

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
    }

    /**
     * Sign-ins that XSI refused as wrong credentials or an unknown user, limited so the proxy cannot be used to
     * guess passwords or to lock BroadWorks accounts: checked before XSI is called (a sign-in in progress counts
     * until it succeeds), answered 429 with Retry-After. Successful sign-ins and token refreshes do not count.
     */
    public static class FailedSignIns {
        /** Failed sign-ins per user id (the user name with the tenant's domain) per period; 0: no limit. */
        private int perUser = 5;
        /** Failed sign-ins per client address (see trusted-proxies) per period; 0: no limit. */
        private int perAddress = 50;
        /** The period of both limits; the allowance comes back evenly over it. */
        private Duration period = Duration.ofMinutes(1);
        /** User ids and addresses remembered at most, each (the oldest are forgotten first). */
        private long maxEntries = 100_000;

        public int getPerUser() { return perUser; }
        public void setPerUser(int perUser) { this.perUser = perUser; }
        public int getPerAddress() { return perAddress; }
        public void setPerAddress(int perAddress) { this.perAddress = perAddress; }
        public Duration getPeriod() { return period; }
        public void setPeriod(Duration period) { this.period = period; }
        public long getMaxEntries() { return maxEntries; }
        public void setMaxEntries(long maxEntries) { this.maxEntries = maxEntries; }
    }

    public static class Reload {
        /** How often routes and stylesheets read from folders are checked for changes; 0s: never. */
        private Duration interval = Duration.ofMillis(500);

        public Duration getInterval() { return interval; }
        public void setInterval(Duration interval) { this.interval = interval; }
    }

    /** The voicemail web services (/services/voicemail). */
    public static class Voicemail {
        /** Largest voice message (decoded audio) streamed to the app; a larger one is cut off (502 or aborted). */
        private DataSize maxAudioSize = DataSize.ofMegabytes(50);
        /** Longest one audio download may take, XSI's answer read to its end (a trickling XSI is cut off). */
        private Duration audioDeadline = Duration.ofMinutes(2);
        /** Connections to XSI for audio downloads at most, per XSI host (a pool of its own, beside the walks'). */
        private int audioConnectionsPerHost = 50;

        public DataSize getMaxAudioSize() { return maxAudioSize; }
        public void setMaxAudioSize(DataSize maxAudioSize) { this.maxAudioSize = maxAudioSize; }
        public Duration getAudioDeadline() { return audioDeadline; }
        public void setAudioDeadline(Duration audioDeadline) { this.audioDeadline = audioDeadline; }
        public int getAudioConnectionsPerHost() { return audioConnectionsPerHost; }
        public void setAudioConnectionsPerHost(int audioConnectionsPerHost) { this.audioConnectionsPerHost = audioConnectionsPerHost; }
    }

    /** The XSI probe behind readiness (/actuator/health/readiness, ops/XsiProbe). */
    public static class HealthSettings {
        /**
         * How often each tenant's XSI is asked for its versions ({@code GET <xsi-url>/v2.0/versions}, no
         * credentials): any HTTP answer shows XSI is up. 0s: never (no XSI detail in readiness).
         */
        private Duration xsiProbeInterval = Duration.ofSeconds(30);
        /** Longest one probe may take (connecting and the whole answer); no answer by then counts as down. */
        private Duration xsiProbeTimeout = Duration.ofSeconds(5);

        public Duration getXsiProbeInterval() { return xsiProbeInterval; }
        public void setXsiProbeInterval(Duration xsiProbeInterval) { this.xsiProbeInterval = xsiProbeInterval; }
        public Duration getXsiProbeTimeout() { return xsiProbeTimeout; }
        public void setXsiProbeTimeout(Duration xsiProbeTimeout) { this.xsiProbeTimeout = xsiProbeTimeout; }
    }
}
