package org.provproxy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import org.springframework.util.DigestUtils;

/**
 * Lets the DMS stand-in check HTTP Digest for real (RFC 7616, MD5, qop=auth): a request matches only when its
 * Authorization header carries the right response hash for the expected user and password, so a proxy that sent
 * Basic, or got the hash wrong, is refused like a real DMS would.
 */
final class DigestAuthMatcher implements ValueMatcher<Request> {

    static final String REALM = "BroadWorks DMS";
    static final String NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");

    private final String user;
    private final String password;
    private final String nonce;

    DigestAuthMatcher(String user, String password) {
        this(user, password, NONCE);
    }

    /** Accepts only answers to a challenge with {@code nonce} (a server that issued a new one). */
    DigestAuthMatcher(String user, String password, String nonce) {
        this.user = user;
        this.password = password;
        this.nonce = nonce;
    }

    /** The challenge a Digest server sends with its 401. */
    static String challenge() {
        return challenge(NONCE, false);
    }

    /** A challenge with {@code nonce}, saying that the nonce of the request was stale if so. */
    static String challenge(String nonce, boolean stale) {
        return "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + nonce + "\", algorithm=MD5"
                + (stale ? ", stale=true" : "");
    }

    /** The parameters of a Digest Authorization header. */
    static Map<String, String> params(String header) {
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(header.substring("Digest ".length()));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return p;
    }

    @Override
    public MatchResult match(Request request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Digest ")) {
            return MatchResult.noMatch();
        }
        Map<String, String> p = params(header);
        String ha1 = md5(user + ":" + REALM + ":" + password);
        String ha2 = md5(request.getMethod().getName() + ":" + p.get("uri"));
        String expected = md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return MatchResult.of(user.equals(p.get("username")) && REALM.equals(p.get("realm"))
                && nonce.equals(p.get("nonce")) && request.getUrl().equals(p.get("uri"))
                && expected.equals(p.get("response")));
    }

    private static String md5(String value) {
        return DigestUtils.md5DigestAsHex(value.getBytes(StandardCharsets.UTF_8));
    }
}
