package org.provproxy.backend;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.hc.client5.http.auth.AuthChallenge;
import org.apache.hc.client5.http.auth.AuthScheme;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.provproxy.config.TenantSettings;
import org.springframework.stereotype.Component;

/**
 * The last HTTP Digest challenge each DMS host sent, per tenant, so that a device file download answers it at once
 * instead of asking for a new one with a 401 round trip first. What is kept is the server's challenge (realm,
 * nonce, opaque, qop, algorithm) and how many requests were sent with its nonce; never a credential or a computed
 * response: each request answers it with its own device's credentials ({@link CountedDigestScheme}), with the next
 * nonce count and a fresh cnonce. Bounded: a few hosts per tenant, forgotten after {@link #KEPT_FOR} (the server
 * decides how long its nonce stands anyway; a refused one costs the round trip it would have cost without this).
 */
@Component("digestChallenges")
public class DigestChallenges {

    /** How long a challenge is kept after the server last sent it. */
    static final Duration KEPT_FOR = Duration.ofMinutes(5);
    private static final int MAX_HOSTS = 1000;

    private final Cache<String, Kept> kept = Caffeine.newBuilder()
            .maximumSize(MAX_HOSTS)
            .expireAfterWrite(KEPT_FOR)
            .build();

    /**
     * A Digest scheme for the client's auth scheme registry: the 401 of a host that nothing was kept for is
     * answered by it, and its challenge kept for the tenant of the request (context attribute {@code tenant}).
     */
    AuthSchemeFactory schemeFactory(String tenantAttribute) {
        return context -> new CountedDigestScheme(this, tenantOf(context, tenantAttribute), null, null);
    }

    /**
     * A Digest scheme answering the challenge kept for this tenant and host with {@code credentials} on the first
     * request, or null when none is kept (or the kept one asks for what only a round trip can answer).
     */
    AuthScheme primed(TenantSettings tenant, HttpHost host, UsernamePasswordCredentials credentials) {
        Kept challenge = kept.getIfPresent(key(tenant.key(), host));
        if (challenge == null || !CountedDigestScheme.answerable(challenge.challenge(), credentials)) {
            return null;
        }
        return new CountedDigestScheme(this, tenant.key(), challenge, credentials);
    }

    /** Keeps the challenge a host just sent; the same nonce again keeps counting where it was. */
    Kept keep(String tenant, HttpHost host, AuthChallenge challenge) {
        Kept fresh = new Kept(challenge, new AtomicLong());
        if (tenant == null) {
            return fresh;
        }
        return kept.asMap().compute(key(tenant, host), (key, old) ->
                old != null && sameNonce(old.challenge(), challenge) ? old : fresh);
    }

    /** Forgets every kept challenge (tests). */
    public void clear() {
        kept.invalidateAll();
    }

    /** Kept challenges (tests: they never hold a credential). */
    long size() {
        kept.cleanUp();
        return kept.estimatedSize();
    }

    private static String tenantOf(HttpContext context, String attribute) {
        return context != null && context.getAttribute(attribute) instanceof TenantSettings tenant ? tenant.key() : null;
    }

    private static String key(String tenant, HttpHost host) {
        String scheme = host.getSchemeName() == null ? "http" : host.getSchemeName().toLowerCase(Locale.ROOT);
        int port = host.getPort() >= 0 ? host.getPort()
                : URIScheme.HTTPS.same(scheme) ? 443 : 80;
        return tenant + " " + scheme + "://" + host.getHostName().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static boolean sameNonce(AuthChallenge a, AuthChallenge b) {
        String nonce = param(a, "nonce");
        return nonce != null && nonce.equals(param(b, "nonce")) && String.valueOf(param(a, "realm"))
                .equals(String.valueOf(param(b, "realm")));
    }

    static String param(AuthChallenge challenge, String name) {
        if (challenge.getParams() == null) {
            return null;
        }
        for (NameValuePair param : challenge.getParams()) {
            if (param.getName().equalsIgnoreCase(name)) {
                return param.getValue();
            }
        }
        return null;
    }

    /** A host's challenge and the requests sent with its nonce so far (thread-safe: concurrent sign-ins count on). */
    record Kept(AuthChallenge challenge, AtomicLong sent) {

        long nextCount() {
            return sent.incrementAndGet();
        }
    }
}
