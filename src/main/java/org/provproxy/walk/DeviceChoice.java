package org.provproxy.walk;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.provproxy.backend.BackendCall;
import org.provproxy.backend.BackendCalls;
import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TenantSettings;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.CredentialKeys;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.shaping.XmlTrees;
import org.springframework.stereotype.Component;

/**
 * Takes the verdict of {@code xslt/choose-device.xsl} ({@code <device status="ok|no-device|…" name url user
 * password>} with a {@code <considered/>} per access device and, when one was chosen, {@code <chosen>} holding
 * it): either the device is chosen, once, for the whole walk, or the request fails with what the administrator
 * must fix. Its file is fetched only from an http(s) URL on one of the tenant's dms-hosts ({@link #fileCall}).
 */
@Component("deviceChoice")
public class DeviceChoice {

    /** How many refused DMS hosts are logged at most (each once per tenant). */
    private static final int REFUSED_HOSTS_LOGGED = 100;

    private final CredentialKeys credentialKeys;
    private final BackendCalls calls;
    private final Stylesheets stylesheets;
    private final RefusedDmsHosts refusedHosts = new RefusedDmsHosts(REFUSED_HOSTS_LOGGED);
    private final Cache<VerdictKey, Verdict> verdicts;

    public DeviceChoice(CredentialKeys credentialKeys, BackendCalls calls, Stylesheets stylesheets,
                        ProvisioningProperties properties) {
        this.credentialKeys = credentialKeys;
        this.calls = calls;
        this.stylesheets = stylesheets;
        this.verdicts = Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<VerdictKey, Verdict>(Verdict::ttl))
                .recordStats()
                .build();
    }

    /** The device verdicts kept, for their metrics (observe/CacheMeters). */
    public Cache<?, ?> cache() {
        return verdicts;
    }

    /**
     * The download of the chosen device's file, with the device's own credentials; refused unless its URL is an
     * http(s) URL on one of the tenant's dms-hosts.
     */
    public BackendCall fileCall(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) {
        ChosenDevice device = walk.device();
        requireAllowed(device.fileUrl(), device.name(), signIn);
        return calls.deviceFile(signIn, device.name(), device.fileUrl(), device.user(), device.password(),
                device.cacheKey());
    }

    /**
     * Chooses the device to provision among the user's access devices with the tenant's {@code choose-device.xsl}
     * and keeps the choice in the walk; fails with what the administrator must fix when none can be provisioned.
     */
    public void choose(@Body XdmNode devices, @Variable("signIn") SignIn signIn, @Variable("walk") Walk walk)
            throws SaxonApiException {
        require(verdict(devices, signIn), signIn, walk);
    }

    /**
     * The verdict of the tenant's choose-device.xsl on these devices: while the backend cache holds the devices
     * document, its verdict is reused (keyed by the document's identity, the compiled stylesheet and the device
     * type), so a refresh from cached documents runs no stylesheet.
     */
    private XdmNode verdict(XdmNode devices, SignIn signIn) throws SaxonApiException {
        XsltExecutable stylesheet = stylesheets.executable(signIn.tenant().key(), "choose-device.xsl");
        String deviceType = signIn.device().deviceType();
        Duration ttl = signIn.tenant().cacheTtl();
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            return stylesheets.transformToTree(stylesheet, devices, Map.of("deviceType", deviceType));
        }
        VerdictKey key = new VerdictKey(stylesheet, devices, deviceType);
        Verdict known = verdicts.getIfPresent(key);
        if (known != null) {
            return known.verdict();
        }
        XdmNode verdict = stylesheets.transformToTree(stylesheet, devices, Map.of("deviceType", deviceType));
        verdicts.put(key, new Verdict(verdict, ttl));
        return verdict;
    }

    void require(XdmNode verdict, SignIn signIn, Walk walk) {
        XdmNode device = XmlTrees.rootElement(verdict);
        if (device == null) {
            throw new IllegalStateException("choose-device.xsl gave no <device> verdict");
        }
        String name = attribute(device, "name");
        walk.considered(name, verdicts(device));
        String status = attribute(device, "status");
        if (!"ok".equals(status)) {
            throw new ProvisioningFailure(FailureKind.fromCode(status),
                    "device type '" + signIn.device().deviceType() + "'", name);
        }
        String user = attribute(device, "user");
        String password = attribute(device, "password");
        walk.chose(new ChosenDevice(name, attribute(device, "url") + signIn.device().file(), user, password,
                credentialKeys.of(user, password), chosen(device)));
    }

    /**
     * The device file's URL comes from platform data and receives the device's credentials: only an http(s) URL
     * on one of the tenant's dms-hosts is fetched.
     */
    private void requireAllowed(String fileUrl, String deviceName, SignIn signIn) {
        URI uri;
        try {
            uri = new URI(fileUrl);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new ProvisioningFailure(FailureKind.DEVICE_TYPE_URL_INVALID,
                    "the deviceTypeUrl of the device is no http(s) URL with a host", deviceName);
        }
        TenantSettings tenant = signIn.tenant();
        if (!tenant.allowsDmsHost(uri.getScheme(), uri.getHost(), uri.getPort())) {
            refusedHosts.note(tenant.key(), uri.getHost(), deviceName, tenant.dmsHosts());
            throw new ProvisioningFailure(FailureKind.DMS_HOST_NOT_ALLOWED,
                    "the deviceTypeUrl of the device names a host outside dms-hosts (logged once per host)", deviceName);
        }
    }

    private static List<Map<String, String>> verdicts(XdmNode device) {
        List<Map<String, String>> verdicts = new ArrayList<>();
        for (XdmNode one : XmlTrees.elements(device)) {
            if ("considered".equals(one.getNodeName().getLocalName())) {
                verdicts.add(Map.of("name", attribute(one, "name"), "type", attribute(one, "type"),
                        "verdict", attribute(one, "verdict")));
            }
        }
        return verdicts;
    }

    /** The chosen accessDevice, for the walk document; null when the verdict has none. */
    private static XdmNode chosen(XdmNode device) {
        for (XdmNode child : XmlTrees.elements(device)) {
            if ("chosen".equals(child.getNodeName().getLocalName())) {
                List<XdmNode> inner = XmlTrees.elements(child);
                return inner.isEmpty() ? null : inner.get(0);
            }
        }
        return null;
    }

    /** What a verdict depends on: the stylesheet (a new object per reload), the devices document, the device type. */
    private record VerdictKey(XsltExecutable stylesheet, XdmNode devices, String deviceType) {
    }

    private record Verdict(XdmNode verdict, Duration ttl) {
    }

    /** An attribute of the verdict, "" when absent. */
    private static String attribute(XdmNode element, String name) {
        String value = element.attribute(name);
        return value == null ? "" : value;
    }
}
