package org.provproxy.request;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Stands for a user name + password in cache keys: an HMAC under a key made fresh at each start, so no cache key,
 * heap dump or log holds a password, a changed password never finds the old entries, and the value is useless
 * outside this process.
 */
@Component("credentialKeys")
public class CredentialKeys {

    /** A Mac per thread (not thread-safe), keyed once: looking one up and keying it took more than the HMAC. */
    private final ThreadLocal<Mac> macs;

    public CredentialKeys() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
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
