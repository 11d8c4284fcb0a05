package org.provproxy.shaping;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import org.apache.camel.Variable;
import org.provproxy.account.AccountVersion;
import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TenantSettings;
import org.provproxy.config.TenantSettings.PlatformSettings;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.SignIn;
import org.provproxy.walk.Walk;
import org.provproxy.walk.WalkDocumentBuilder;
import org.springframework.stereotype.Component;

/**
 * Shapes what a walk gathered into the answer (the tenant's account.xsl or global.xsl on the walk document), and
 * serializes it when it leaves. A shaped answer is kept for the tenant's cache-ttl, keyed by the very documents it
 * came from (the backend cache's trees, by identity) and the stylesheet that shaped it: a refresh whose documents are
 * all still cached gets its answer, and hash, without building a walk document or running a stylesheet. Any document
 * fetched anew, or any stylesheet reloaded, is another key.
 */
@Component("shaping")
public class Shaping {

    private final Stylesheets stylesheets;
    private final WalkDocumentBuilder walkDocuments;
    private final Cache<Key, Kept> kept;

    public Shaping(Stylesheets stylesheets, WalkDocumentBuilder walkDocuments, ProvisioningProperties properties) {
        this.stylesheets = stylesheets;
        this.walkDocuments = walkDocuments;
        this.kept = Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<Key, Kept>(Kept::ttl))
                .recordStats()
                .build();
    }

    /** The shaped answers kept, for their metrics (observe/CacheMeters). */
    public Cache<?, ?> cache() {
        return kept;
    }

    /** The account of the walk (account.xsl); it must carry a SIP user name and password. */
    public Shaped account(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) throws Exception {
        return shaped(signIn, walk, "account.xsl", true);
    }

    /** The global answer of the walk (global.xsl): quickDial and dialActions. */
    public Shaped global(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) throws Exception {
        return shaped(signIn, walk, "global.xsl", false);
    }

    /** The shaped account as sent: with the token of its version (account-token.xsl), serialized. */
    public byte[] withToken(@Variable("shaped") Shaped account, @Variable("signIn") SignIn signIn,
                            @Variable("version") AccountVersion version) throws SaxonApiException {
        return stylesheets.transformToBytes(signIn.tenant().key(), "account-token.xsl", account.document(),
                Map.of("token", version.token()));
    }

    /** A shaped global answer as sent: serialized as global.xsl's xsl:output says. */
    public byte[] serialized(@Variable("shaped") Shaped answer, @Variable("signIn") SignIn signIn)
            throws SaxonApiException {
        return stylesheets.serialize(signIn.tenant().key(), "global.xsl", answer.document());
    }

    /**
     * A directory walk's pages as the app's contacts JSON (the tenant's contacts.xsl on the directory's walk
     * document). Not kept here: the directory itself is kept, once per enterprise or group (contacts/Directories).
     */
    public byte[] contacts(TenantSettings tenant, String kind, String enterpriseId, String groupId, Walk walk)
            throws Exception {
        walk.requireSucceeded();
        XdmNode document = walkDocuments.directory(tenant.key(), kind, enterpriseId, groupId,
                org.provproxy.contacts.DirectoryPages.pages(walk));
        return stylesheets.transformToBytes(tenant.key(), "contacts.xsl", document, Map.of());
    }

    private Shaped shaped(SignIn signIn, Walk walk, String name, boolean account) throws Exception {
        walk.requireSucceeded();
        TenantSettings tenant = signIn.tenant();
        XsltExecutable stylesheet = stylesheets.executable(tenant.key(), name);
        Duration ttl = tenant.cacheTtl();
        boolean keep = ttl != null && !ttl.isZero() && !ttl.isNegative();
        Key key = keep ? new Key(stylesheet, tenant.key(), signIn.userId(), signIn.platform(), signIn.device(),
                signIn.caller().baseUrl(), walk.parts()) : null;
        if (keep) {
            Kept known = kept.getIfPresent(key);
            if (known != null) {
                return known.shaped();
            }
        }
        XdmNode document = stylesheets.transformToTree(stylesheet, walkDocuments.build(signIn, walk), Map.of());
        if (account) {
            requireSipCredentials(document);
        }
        Shaped shaped = Shaped.of(document);
        if (keep) {
            kept.put(key, new Kept(shaped, ttl));
        }
        return shaped;
    }

    /** An account without a SIP user name or password cannot register: what the device file lacks is the cause. */
    private static void requireSipCredentials(XdmNode account) {
        XdmNode root = XmlTrees.rootElement(account);
        if (root == null || blank(root, "username") || blank(root, "password")) {
            throw new ProvisioningFailure(FailureKind.DEVICE_FILE_NO_SIP_CREDENTIALS,
                    "the shaped account has no SIP user name or password");
        }
    }

    private static boolean blank(XdmNode root, String key) {
        for (XdmNode child : XmlTrees.elements(root)) {
            if (key.equals(child.getNodeName().getLocalName()) && !child.getStringValue().isBlank()) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a shaped answer depends on: the stylesheet (a new object per reload), the sign-in, the documents. The
     * tenant by its key: its settings are fixed while the proxy runs, and hashing them whole cost every lookup.
     */
    private record Key(XsltExecutable stylesheet, String tenant, String userId, String platform,
                       PlatformSettings device, String baseUrl, Map<String, XdmNode> documents) {
    }

    private record Kept(Shaped shaped, Duration ttl) {
    }
}
