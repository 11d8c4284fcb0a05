package org.provproxy.account;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The versions of answers whose source gives no change time (a directory, call logs, call features): per answer
 * (its key: whose, which format), the checksum of its content and since when it has been the same, so a walk that
 * finds nothing changed keeps its Last-Modified. Bounded; an answer not asked for in a day is forgotten (its next
 * Last-Modified is then the time it is asked again).
 *
 * @param <K> what tells one answer from another
 */
public final class ContentVersions<K> {

    private final Cache<K, Version> versions;

    public ContentVersions(long maxEntries) {
        this.versions = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterAccess(Duration.ofDays(1)).build();
    }

    /** The version of the answer {@code key} now holding {@code content}: its ETag and since when it is so. */
    public Version of(K key, byte[] content) {
        String checksum = checksum(content);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return versions.asMap().compute(key, (k, known) ->
                known != null && known.checksum().equals(checksum) ? known : new Version(checksum, now));
    }

    /**
     * Takes the version another replica gave the answer {@code key} (cache shared by replicas), unless this one
     * knows the same content already: its own later reading of that content then keeps the same Last-Modified.
     */
    public void adopt(K key, String checksum, Instant since) {
        versions.asMap().compute(key, (k, known) ->
                known != null && known.checksum().equals(checksum) ? known : new Version(checksum, since));
    }

    /** Forgets every version (tests). */
    public void clear() {
        versions.invalidateAll();
    }

    /** SHA-256 of {@code content}, base64url without padding (43 characters): what every ETag of the proxy holds. */
    public static String checksum(byte[] content) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A content's checksum and since when an answer has held it. */
    public record Version(String checksum, Instant since) {

        /** The checksum as an ETag. */
        public String etag() {
            return AccountVersions.etag(checksum);
        }
    }
}
