package org.provproxy.request;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.provproxy.account.AccountTokens;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.stereotype.Component;

/**
 * Stands for a user name + password in cache keys: an HMAC under a key made fresh at each start, so no cache key,
 * heap dump or log holds a password, a changed password never finds the old entries, and the value is useless
 * outside this process. With the cache shared by replicas ({@code provisioning.shared-cache.enabled}) every replica
 * must name the same credentials alike, so the key is then a subkey of the sealing token key
 * (account/AccountTokens#subkeys): the same on every replica, and changed when the token keys rotate (entries made
 * before are then not found again; they expire).
 */
@Component("credentialKeys")
public class CredentialKeys {

    /** A Mac per thread (not thread-safe), keyed once: looking one up and keying it took more than the HMAC. */
    private final ThreadLocal<Mac> macs;

    public CredentialKeys(ProvisioningProperties properties, AccountTokens tokens) {
        byte[] secret = new byte[32];
        if (properties.getSharedCache().isEnabled()) {
            secret = tokens.subkeys("credential-keys").values().iterator().next();
        } else {
            new SecureRandom().nextBytes(secret);
        }
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public String of(String user, String password) {
        // doFinal leaves the Mac reset, keyed, for the next call on this thread
        byte[] digest = macs.get().doFinal((user + '\u0000' + password).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
