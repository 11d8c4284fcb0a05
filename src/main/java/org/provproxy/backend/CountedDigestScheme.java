package org.provproxy.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.client5.http.auth.AuthChallenge;
import org.apache.hc.client5.http.auth.AuthScheme;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.AuthenticationException;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.auth.MalformedChallengeException;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.DigestScheme;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * HTTP Digest (RFC 7616) for device file downloads, answering a challenge kept per DMS host
 * ({@link DigestChallenges}) with the request's own credentials: the next nonce count of that nonce (shared by
 * every request using it, so counts never repeat) and a fresh cnonce. HttpClient's {@link DigestScheme} counts per
 * scheme instance only, which is one request here, hence this scheme.
 * <ul>
 *   <li>Primed (a challenge was kept): the first request carries the answer. If the server refuses it (401: a
 *       stale nonce, one it forgot), the new challenge is kept and answered once more; a second refusal stands
 *       (wrong credentials: 502 as before).</li>
 *   <li>Not primed: made by the client for a host's 401, as HttpClient's own Digest would be; its challenge is
 *       kept for the next request. A second 401 stands, unless it says {@code stale=true} (answered once more).</li>
 *   <li>Challenges this scheme does not compute (qop auth-int only, userhash, another charset or algorithm, a user
 *       name outside printable ASCII) are answered by HttpClient's {@link DigestScheme}, and never primed.</li>
 * </ul>
 * Not thread-safe, like every {@link AuthScheme}: one instance per request.
 */
final class CountedDigestScheme implements AuthScheme {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DigestChallenges challenges;
    private final String tenant;
    private final boolean primed;
    private final DigestScheme other = new DigestScheme();
    private DigestChallenges.Kept current;
    private UsernamePasswordCredentials credentials;
    private int answers;

    CountedDigestScheme(DigestChallenges challenges, String tenant, DigestChallenges.Kept kept,
                        UsernamePasswordCredentials credentials) {
        this.challenges = challenges;
        this.tenant = tenant;
        this.primed = kept != null;
        this.current = kept;
        this.credentials = credentials;
        if (kept != null) {
            try {
                // the same credentials for HttpClient's scheme, should a refusal bring a challenge only it answers
                other.initPreemptive(credentials, null, null);
                other.processChallenge(kept.challenge(), null);
            } catch (MalformedChallengeException e) {
                throw new IllegalStateException("a kept challenge was answerable", e);
            }
        }
    }

    /** Whether this scheme computes the answer to {@code challenge} itself (else only {@link DigestScheme} does). */
    static boolean answerable(AuthChallenge challenge, UsernamePasswordCredentials credentials) {
        if (param(challenge, "realm") == null || param(challenge, "nonce") == null
                || "true".equalsIgnoreCase(param(challenge, "userhash"))
                || credentials == null || !printableAscii(credentials.getUserName())) {
            return false;
        }
        String charset = param(challenge, "charset");
        if (charset != null && !charset.equalsIgnoreCase("UTF-8")) {
            return false;
        }
        String qop = param(challenge, "qop");
        return algorithm(param(challenge, "algorithm")) != null && (qop == null || offersAuth(qop));
    }

    @Override
    public String getName() {
        return StandardAuthScheme.DIGEST;
    }

    @Override
    public boolean isConnectionBased() {
        return false;
    }

    @Override
    public void processChallenge(AuthChallenge challenge, HttpContext context) throws MalformedChallengeException {
        other.processChallenge(challenge, context);
        current = new DigestChallenges.Kept(challenge, new AtomicLong());
    }

    @Override
    public void processChallenge(HttpHost host, boolean challenged, AuthChallenge challenge, HttpContext context)
            throws MalformedChallengeException {
        if (challenge == null) {
            throw new MalformedChallengeException("no Digest challenge");
        }
        other.processChallenge(challenge, context);
        current = challenges.keep(tenant, host, challenge);
    }

    /**
     * Whether the exchange is over after a 401: a primed request's refusal is answered once more with the new
     * challenge, a fresh challenge's only when it says the nonce was stale; never more than twice.
     */
    @Override
    public boolean isChallengeComplete() {
        if (answers == 0) {
            return false;
        }
        boolean stale = current != null && "true".equalsIgnoreCase(param(current.challenge(), "stale"));
        return answers >= 2 || !primed && !stale;
    }

    @Override
    public String getRealm() {
        return current == null ? null : param(current.challenge(), "realm");
    }

    @Override
    public boolean isResponseReady(HttpHost host, CredentialsProvider provider, HttpContext context)
            throws AuthenticationException {
        other.isResponseReady(host, provider, context);
        Credentials found = provider.getCredentials(new AuthScope(host, getRealm(), getName()), context);
        credentials = found instanceof UsernamePasswordCredentials password ? password : null;
        return credentials != null;
    }

    @Override
    public Principal getPrincipal() {
        return null;
    }

    @Override
    public String generateAuthResponse(HttpHost host, HttpRequest request, HttpContext context)
            throws AuthenticationException {
        answers++;
        if (current == null || !answerable(current.challenge(), credentials)) {
            return other.generateAuthResponse(host, request, context);
        }
        AuthChallenge challenge = current.challenge();
        String realm = param(challenge, "realm");
        String nonce = param(challenge, "nonce");
        String opaque = param(challenge, "opaque");
        String algorithmName = param(challenge, "algorithm");
        String[] algorithm = algorithm(algorithmName);
        boolean qopAuth = param(challenge, "qop") != null;
        String uri = request.getRequestUri();
        String nc = String.format(Locale.ROOT, "%08x", current.nextCount());
        byte[] random = new byte[algorithm[0].equals("MD5") ? 16 : 32];
        RANDOM.nextBytes(random);
        String cnonce = HexFormat.of().formatHex(random);

        MessageDigest digest = digest(algorithm[0]);
        String ha1 = hex(digest, credentials.getUserName() + ":" + realm + ":"
                + new String(credentials.getUserPassword()));
        if (algorithm[1] != null) {
            ha1 = hex(digest, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hex(digest, request.getMethod() + ":" + uri);
        String response = qopAuth ? hex(digest, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : hex(digest, ha1 + ":" + nonce + ":" + ha2);

        StringBuilder header = new StringBuilder(StandardAuthScheme.DIGEST).append(' ');
        quoted(header, "username", credentials.getUserName()).append(", ");
        quoted(header, "realm", realm).append(", ");
        quoted(header, "nonce", nonce).append(", ");
        quoted(header, "uri", uri).append(", ");
        quoted(header, "response", response);
        if (qopAuth) {
            header.append(", qop=auth, nc=").append(nc).append(", ");
            quoted(header, "cnonce", cnonce);
        }
        if (algorithmName != null) {
            header.append(", algorithm=").append(algorithmName);
        }
        if (opaque != null) {
            header.append(", ");
            quoted(header, "opaque", opaque);
        }
        return header.toString();
    }

    @Override
    public String toString() {
        return "Digest" + (primed ? " (kept challenge)" : "");
    }

    /** The JDK digest and whether it is a session variant (non-null second element), or null if not known. */
    private static String[] algorithm(String name) {
        String upper = name == null ? "MD5" : name.toUpperCase(Locale.ROOT);
        boolean session = upper.endsWith("-SESS");
        String base = session ? upper.substring(0, upper.length() - "-SESS".length()) : upper;
        String jdk = switch (base) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            case "SHA-512-256" -> "SHA-512/256";
            default -> null;
        };
        return jdk == null ? null : new String[] {jdk, session ? "sess" : null};
    }

    private static boolean offersAuth(String qop) {
        for (String option : qop.split(",")) {
            if (option.trim().equalsIgnoreCase("auth")) {
                return true;
            }
        }
        return false;
    }

    private static boolean printableAscii(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest digest(String algorithm) throws AuthenticationException {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new AuthenticationException("unsupported digest algorithm " + algorithm, e);
        }
    }

    private static String hex(MessageDigest digest, String value) {
        return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static StringBuilder quoted(StringBuilder header, String name, String value) {
        header.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                header.append('\\');
            }
            header.append(c);
        }
        return header.append('"');
    }

    private static String param(AuthChallenge challenge, String name) {
        return DigestChallenges.param(challenge, name);
    }
}
