package org.provproxy.sharing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Entries as they go to the cluster: encrypted at rest (they hold SIP passwords and sealed tokens) and under keys
 * that name no user. Each token key gives two subkeys (account/AccountTokens#subkeys): one hashes cache keys
 * (HMAC-SHA256, base64url), one seals values (AES-256-GCM, a random 96-bit nonce, the hashed key as associated
 * data, so a value moved under another key does not open). The first token key seals and hashes; every key opens
 * and is looked up under (rotation: entries sealed before it still serve until they expire). A value that does not
 * open (another key, tampered, another format) is null: a miss.
 * <p>
 * A sealed value: format byte, key id (length byte + UTF-8), nonce, ciphertext with its tag.
 */
public final class SealedEntries {

    static final String SEALING = "shared-cache";
    static final String HASHING = "shared-cache-keys";
    private static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> sealing = new LinkedHashMap<>();
    private final List<SecretKeySpec> hashing = new ArrayList<>();
    private final String sealingId;
    private final byte[] sealingIdBytes;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param sealingKeys per token key id, the first one sealing: the subkey {@value #SEALING}
     * @param hashingKeys the same keys in the same order: the subkey {@value #HASHING}
     */
    public SealedEntries(LinkedHashMap<String, byte[]> sealingKeys, LinkedHashMap<String, byte[]> hashingKeys) {
        if (sealingKeys.isEmpty() || sealingKeys.size() != hashingKeys.size()) {
            throw new IllegalArgumentException("one sealing and one hashing subkey per token key are needed");
        }
        sealingKeys.forEach((id, key) -> sealing.put(id, new SecretKeySpec(key, "AES")));
        hashingKeys.values().forEach(key -> hashing.add(new SecretKeySpec(key, "HmacSHA256")));
        this.sealingId = sealingKeys.keySet().iterator().next();
        this.sealingIdBytes = sealingId.getBytes(StandardCharsets.UTF_8);
        if (sealingIdBytes.length > 255) {
            throw new IllegalArgumentException("token key id longer than 255 bytes");
        }
    }

    /** The key {@code key} has in the cluster under the sealing key: what new entries are put under. */
    public String hashedKey(String key) {
        return hash(hashing.get(0), key);
    }

    /** The keys {@code key} may have in the cluster, the sealing key's first, then the older keys'. */
    public List<String> hashedKeys(String key) {
        List<String> keys = new ArrayList<>(hashing.size());
        for (SecretKeySpec hashKey : hashing) {
            keys.add(hash(hashKey, key));
        }
        return keys;
    }

    /** {@code plain} sealed with the first key, bound to {@code hashedKey}. */
    public byte[] seal(String hashedKey, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealing.get(sealingId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(hashedKey.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(2 + sealingIdBytes.length + NONCE_BYTES + sealed.length).put(FORMAT)
                    .put((byte) sealingIdBytes.length).put(sealingIdBytes).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plain value of {@code value} stored under {@code hashedKey}, or null when it does not open. */
    public byte[] open(String hashedKey, byte[] value) {
        if (value == null || value.length < 2 + NONCE_BYTES + TAG_BITS / 8 || value[0] != FORMAT) {
            return null;
        }
        int idLength = value[1] & 0xff;
        if (value.length < 2 + idLength + NONCE_BYTES + TAG_BITS / 8) {
            return null;
        }
        SecretKeySpec key = sealing.get(new String(value, 2, idLength, StandardCharsets.UTF_8));
        if (key == null) {
            return null;
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value, 2 + idLength, NONCE_BYTES));
            cipher.updateAAD(hashedKey.getBytes(StandardCharsets.UTF_8));
            int start = 2 + idLength + NONCE_BYTES;
            return cipher.doFinal(value, start, value.length - start);
        } catch (GeneralSecurityException tamperedOrOtherKey) {
            return null;
        }
    }

    private static String hash(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
