package org.provproxy.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import org.provproxy.config.ProvisioningProperties.TokenKey;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seals and opens the re-provisioning token the app keeps in its account ({@code X-xsi-token}): a JWE
 * ({@code dir} + {@code A256GCM}, authenticated encryption) holding tenant, XSI user id and password, issue time
 * and the hash of the account it came with, and when it expires ({@code provisioning.token.max-age} after
 * sealing). The proxy keeps no per-user state: any replica holding the keys can serve any refresh. Keys come from
 * {@code provisioning.token.keys}; the first seals, all open.
 */
@Component("accountTokens")
public class AccountTokens {

    private static final Logger LOG = LoggerFactory.getLogger(AccountTokens.class);
    /** Used only while the demo backend is on and no key is configured: public, so never for real users. */
    static final String DEMO_KEY_ID = "demo-public-key";

    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private final String sealingKeyId;
    private final Duration maxAge;

    /** The keys were validated when bound (ids unique, 32-byte secrets, one at least without the demo). */
    public AccountTokens(ProvisioningProperties properties) {
        this.maxAge = properties.getToken().getMaxAge();
        for (TokenKey key : properties.getToken().getKeys()) {
            keys.put(key.getId(), new SecretKeySpec(Base64.getDecoder().decode(key.getSecret().trim()), "AES"));
        }
        if (keys.isEmpty() && properties.getDemo().isEnabled()) {
            LOG.warn("No provisioning.token.keys configured: using the public demo key. Never run real users like this.");
            keys.put(DEMO_KEY_ID, new SecretKeySpec(sha256("provisioning-proxy demo token key"), "AES"));
        }
        // never the public demo key in its place: unvalidated settings without a key must not seal anything
        this.sealingKeyId = keys.keySet().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("provisioning.token.keys is empty"));
    }

    /** The id of the key that seals new tokens. */
    public String sealingKeyId() {
        return sealingKeyId;
    }

    /**
     * Per key, the sealing one first, a subkey for another use of the same secrets: HMAC-SHA256(secret,
     * {@code purpose}). The shared cache seals its entries with these (sharing/SealedEntries), so rotating the token
     * keys rotates them too, while the token keys themselves never leave this class nor serve two uses.
     */
    public LinkedHashMap<String, byte[]> subkeys(String purpose) {
        LinkedHashMap<String, byte[]> subkeys = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
                subkeys.put(id, mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
        return subkeys;
    }

    public String seal(AccountToken token) {
        return seal(token, null);
    }

    /**
     * A short-lived link for one thing of the account ({@code use}, e.g. {@code voicemail-audio:<message id>}), to
     * put in a URL the app opens directly: sealed like the account's token (the user's credentials inside,
     * encrypted) but expiring {@code ttl} from now, and refused as an account token ({@link #open}); only
     * {@link #openLink} with the same {@code use} opens it.
     */
    public String sealLink(AccountToken account, String use, Duration ttl) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return seal(new AccountToken(account.tenant(), account.userId(), account.password(), now, "", null,
                now.plus(ttl)), use);
    }

    /**
     * Opens a link sealed by {@link #sealLink} for {@code use}: a token for anything else (an account token, a link
     * for another message) is a {@code bad-token} failure; an expired one {@code token-expired}.
     */
    public AccountToken openLink(String link, String use) {
        AccountToken opened = open(link, use);
        if (expired(opened)) {
            throw new ProvisioningFailure(FailureKind.TOKEN_EXPIRED, "link expired");
        }
        return opened;
    }

    private String seal(AccountToken token, String use) {
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(sealingKeyId).build();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .claim("ten", token.tenant())
                .subject(token.userId())
                .claim("pwd", token.password())
                .issueTime(Date.from(token.issued()))
                .claim("ah", token.accountHash())
                .expirationTime(Date.from(token.expires() != null ? token.expires()
                        : Instant.now().plus(maxAge).truncatedTo(ChronoUnit.SECONDS)));
        if (use != null) {
            builder.claim("use", use);
        }
        JWTClaimsSet claims = builder.build();
        EncryptedJWT jwt = new EncryptedJWT(header, claims);
        try {
            jwt.encrypt(new DirectEncrypter(keys.get(sealingKeyId)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal token", e);
        }
        return jwt.serialize();
    }

    /**
     * Opens an account token; anything that is not an account token sealed by one of our keys (a link among them)
     * is a {@code bad-token} failure.
     */
    public AccountToken open(String token) {
        return open(token, null);
    }

    private AccountToken open(String token, String use) {
        String keyId = "-";
        try {
            EncryptedJWT jwt = EncryptedJWT.parse(token.trim());
            keyId = String.valueOf(jwt.getHeader().getKeyID());
            SecretKey key = keys.get(keyId);
            if (key == null || !JWEAlgorithm.DIR.equals(jwt.getHeader().getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(jwt.getHeader().getEncryptionMethod())) {
                throw badToken(keyId, "unknown key id or algorithm");
            }
            jwt.decrypt(new DirectDecrypter(key));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            AccountToken opened = new AccountToken(claims.getStringClaim("ten"), claims.getSubject(),
                    claims.getStringClaim("pwd"), claims.getIssueTime().toInstant(), claims.getStringClaim("ah"), keyId,
                    expires == null ? null : expires.toInstant());
            if (opened.tenant() == null || opened.userId() == null || opened.password() == null) {
                throw badToken(keyId, "claims missing");
            }
            if (!java.util.Objects.equals(use, claims.getStringClaim("use"))) {
                throw badToken(keyId, use == null ? "a link, not an account token" : "not a link for this");
            }
            return opened;
        } catch (ParseException | JOSEException | RuntimeException e) {
            if (e instanceof ProvisioningFailure failure) {
                throw failure;
            }
            // tampered, truncated, or sealed with another key of the same id: it does not open
            throw badToken(keyId, e.getClass().getSimpleName());
        }
    }

    /** Past its expiry: the app must sign in again. Tokens sealed before expiry existed have none. */
    public boolean expired(AccountToken token) {
        return token.expires() != null && !Instant.now().isBefore(token.expires());
    }

    /**
     * Due to be sealed again on this refresh: sealed with a key that no longer seals, older than half its
     * lifetime (sliding expiry), or from before tokens expired.
     */
    public boolean dueForResealing(AccountToken token) {
        return !sealingKeyId.equals(token.keyId()) || token.expires() == null
                || Duration.between(Instant.now(), token.expires()).compareTo(maxAge.dividedBy(2)) < 0;
    }

    private static ProvisioningFailure badToken(String keyId, String why) {
        LOG.warn("re-provisioning token refused: key id '{}' ({})", keyId.replaceAll("[^\\w.-]", "?"), why);
        return new ProvisioningFailure(FailureKind.BAD_TOKEN, "token does not open (key id " + keyId + ")");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a token holds. {@code issued} doubles as the account's Last-Modified: it changes only when the account
     * changed. {@code keyId} is set on opened tokens only; {@code expires} on opened tokens (null when sealed before
     * tokens expired) and, when set, on a token to seal (else it expires max-age from now).
     */
    public record AccountToken(String tenant, String userId, String password, Instant issued, String accountHash,
                               String keyId, Instant expires) {

        public AccountToken(String tenant, String userId, String password, Instant issued, String accountHash,
                            String keyId) {
            this(tenant, userId, password, issued, accountHash, keyId, null);
        }

        @Override
        public String toString() {
            return "AccountToken[tenant=" + tenant + ", userId=" + userId + ", issued=" + issued + "]";
        }
    }
}
