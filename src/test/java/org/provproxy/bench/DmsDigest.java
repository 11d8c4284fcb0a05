package org.provproxy.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.DigestUtils;

/**
 * HTTP Digest of the DMS stand-in (RFC 7616, MD5, qop=auth), checked for real so the bench would catch a broken
 * Digest. As real servers do, a nonce may be reused for many requests (any nc is accepted: concurrent requests on
 * one nonce can arrive out of order); nonces rotate, and one from the previous period is answered stale=true.
 */
final class DmsDigest {

    enum Verdict { OK, NONE, STALE, WRONG }

    static final String REALM = "BroadWorks DMS";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final String ha1;
    private final long lifetimeMs;
    private String nonce;
    private String previousNonce = "";
    private long nonceSince;

    DmsDigest(String user, String password, long lifetimeMs) {
        this.user = user;
        this.ha1 = md5(user + ":" + REALM + ":" + password);
        this.lifetimeMs = lifetimeMs;
        rotate(System.currentTimeMillis());
    }

    String challenge(boolean stale) {
        return "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + currentNonce() + "\", algorithm=MD5"
                + (stale ? ", stale=true" : "");
    }

    Verdict check(String method, String uri, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
            return Verdict.NONE;
        }
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(authorization.substring(7));
        while (m.find()) {
            p.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String current = currentNonce();
        String given = p.getOrDefault("nonce", "");
        String ha2 = md5(method + ":" + p.get("uri"));
        String expected = md5(ha1 + ":" + given + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        boolean right = user.equals(p.get("username")) && REALM.equals(p.get("realm")) && uri.equals(p.get("uri"))
                && "auth".equals(p.get("qop")) && p.get("nc") != null && p.get("cnonce") != null
                && expected.equals(p.get("response"));
        if (!right) {
            return Verdict.WRONG;
        }
        if (given.equals(current)) {
            return Verdict.OK;
        }
        return given.equals(previousNonce()) ? Verdict.STALE : Verdict.WRONG;
    }

    private synchronized String currentNonce() {
        long now = System.currentTimeMillis();
        if (now - nonceSince >= lifetimeMs) {
            rotate(now);
        }
        return nonce;
    }

    private synchronized String previousNonce() {
        return previousNonce;
    }

    private synchronized void rotate(long now) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        previousNonce = nonce == null ? "" : nonce;
        nonce = HexFormat.of().formatHex(bytes);
        nonceSince = now;
    }

    private static String md5(String value) {
        return DigestUtils.md5DigestAsHex(value.getBytes(StandardCharsets.UTF_8));
    }
}
