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

    private final SecretKeySpec key;

    public CredentialKeys() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public String of(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((user + '\u0000' + password).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
