package org.provproxy.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

import org.junit.jupiter.api.Test;

class SealedEntriesTest {

    private static final byte[] PLAIN = "<account><password>x-fake-sip-secret</password></account>"
            .getBytes(StandardCharsets.UTF_8);
    private static final String KEY = "account|acme|alice@acme.example|mobile|credential-hmac";

    /** Entries under these token key ids, in this order (the first seals); each subkey made from its id. */
    private static SealedEntries entries(String... ids) {
        LinkedHashMap<String, byte[]> sealing = new LinkedHashMap<>();
        LinkedHashMap<String, byte[]> hashing = new LinkedHashMap<>();
        for (String id : ids) {
            sealing.put(id, bytes(32, id.hashCode()));
            hashing.put(id, bytes(32, 31 * id.hashCode()));
        }
        return new SealedEntries(sealing, hashing);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * (i + 7));
        }
        return bytes;
    }

    @Test
    void aSealedValueOpensUnderItsKeyAndShowsNothingOfIt() {
        SealedEntries entries = entries("2026");
        String hashed = entries.hashedKey(KEY);

        byte[] sealed = entries.seal(hashed, PLAIN);

        assertThat(entries.open(hashed, sealed)).isEqualTo(PLAIN);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("x-fake-sip-secret", "account");
        assertThat(entries.seal(hashed, PLAIN)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void aTamperedValueOrOneMovedToAnotherKeyDoesNotOpen() {
        SealedEntries entries = entries("2026");
        String hashed = entries.hashedKey(KEY);
        byte[] sealed = entries.seal(hashed, PLAIN);

        for (int i = 0; i < sealed.length; i += 7) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThat(entries.open(hashed, tampered)).as("byte %d flipped", i).isNull();
        }
        assertThat(entries.open(entries.hashedKey(KEY + "x"), sealed)).as("under another key").isNull();
        assertThat(entries.open(hashed, new byte[3])).isNull();
        assertThat(entries.open(hashed, null)).isNull();
    }

    @Test
    void afterRotationTheOldKeyStillOpensAndIsLookedUpUnder() {
        SealedEntries before = entries("2025");
        String oldHashed = before.hashedKey(KEY);
        byte[] sealedBefore = before.seal(oldHashed, PLAIN);

        SealedEntries rotated = entries("2026", "2025");

        assertThat(rotated.hashedKeys(KEY)).as("the new key's first, then the old one's")
                .containsExactly(rotated.hashedKey(KEY), oldHashed);
        assertThat(rotated.open(oldHashed, sealedBefore)).isEqualTo(PLAIN);
        byte[] sealedAfter = rotated.seal(rotated.hashedKey(KEY), PLAIN);
        assertThat(before.open(rotated.hashedKey(KEY), sealedAfter)).as("the old replica lacks the new key").isNull();
        assertThat(entries("2026").open(oldHashed, sealedBefore)).as("once the old key is removed").isNull();
    }

    @Test
    void keysAreHashedNotShown() {
        SealedEntries entries = entries("2026");

        String hashed = entries.hashedKey(KEY);

        assertThat(hashed).doesNotContain("alice", "acme").matches("[A-Za-z0-9_-]{43}");
        assertThat(entries.hashedKey(KEY)).as("the same on every replica with the same keys").isEqualTo(hashed);
        assertThat(entries("2027").hashedKey(KEY)).as("keyed: not a plain hash").isNotEqualTo(hashed);
    }
}
