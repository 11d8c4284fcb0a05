package org.provproxy.sharing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of entry shared by the replicas (documents, last good accounts, directories): typed values written by
 * their {@link Codec}, sealed ({@link SealedEntries}) under hashed keys in one Infinispan cache, each living as long
 * as it was put for. Every operation is asynchronous (Infinispan's async API) and never fails the request: a
 * cluster that does not answer is a miss, a write that fails is forgotten (logged once, without keys or values).
 * <p>
 * {@link #getOrFetch} is single flight across replicas: the first replica to claim a key (a put-if-absent of a
 * claim entry that expires by itself, so a replica dying mid-call blocks nobody for long) fetches it; the others
 * poll for the value without holding a thread until it appears, the claim vanishes (then they claim and fetch
 * themselves) or their deadline passes.
 *
 * @param <T> the value
 */
public final class SharedRegion<T> {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRegion.class);
    /** Version of the envelope (expiry and the codec's bytes); anything else is a miss. */
    private static final byte FORMAT = 1;
    private static final String CLAIM = "claim|";
    /** How often a replica waiting for another's fetch looks for its answer: a few cluster reads per second. */
    static final Duration POLL = Duration.ofMillis(40);

    private final String name;
    private final AdvancedCache<String, byte[]> cache;
    private final SealedEntries sealed;
    private final Codec<T> codec;
    private final byte[] replicaId;
    private final AtomicBoolean warnedUnopened = new AtomicBoolean();
    private final AtomicBoolean warnedFailure = new AtomicBoolean();

    SharedRegion(String name, AdvancedCache<String, byte[]> cache, SealedEntries sealed, Codec<T> codec,
                 String replicaId) {
        this.name = name;
        this.cache = cache;
        this.sealed = sealed;
        this.codec = codec;
        this.replicaId = replicaId.getBytes(StandardCharsets.UTF_8);
    }

    /** The value kept under {@code key} with its remaining lifetime, or null; never fails. */
    public CompletableFuture<Found<T>> get(String key) {
        return get(key, sealed.hashedKeys(key), 0);
    }

    private CompletableFuture<Found<T>> get(String key, List<String> hashedKeys, int index) {
        if (index == hashedKeys.size()) {
            return CompletableFuture.completedFuture(null);
        }
        String hashed = hashedKeys.get(index);
        return quietly(cache.getAsync(hashed), null).thenCompose(value -> {
            Found<T> found = value == null ? null : opened(hashed, value);
            // under an older token key only while the keys rotate: one more read, local in a replicated cache
            return found != null ? CompletableFuture.completedFuture(found) : get(key, hashedKeys, index + 1);
        });
    }

    /** Keeps {@code value} under {@code key} for {@code lifespan}; completes when the cluster has it (or failed). */
    public CompletableFuture<Void> put(String key, T value, Duration lifespan) {
        if (lifespan.isZero() || lifespan.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] plain;
        try {
            plain = envelope(value, System.currentTimeMillis() + lifespan.toMillis());
        } catch (IOException | RuntimeException e) {
            warnOnce("could not be written (" + e.getClass().getSimpleName() + ")");
            return CompletableFuture.completedFuture(null);
        }
        String hashed = sealed.hashedKey(key);
        return quietly(cache.withFlags(Flag.IGNORE_RETURN_VALUES).putAsync(hashed, sealed.seal(hashed, plain),
                lifespan.toMillis(), TimeUnit.MILLISECONDS), null).thenApply(previous -> null);
    }

    /** Forgets the value under {@code key} on every replica (under every token key); completes when they did. */
    public CompletableFuture<Void> remove(String key) {
        return CompletableFuture.allOf(sealed.hashedKeys(key).stream().map(hashed -> quietly(
                cache.withFlags(Flag.IGNORE_RETURN_VALUES).removeAsync(hashed), null)).toArray(CompletableFuture[]::new));
    }

    /**
     * The value under {@code key}: kept by the cluster, or fetched by this replica once it holds the key's claim
     * (then shared for {@code ttl} if {@code shareable}), or by the replica holding it (waited for, polling).
     *
     * @param claimFor      how long a claim holds at most: the longest the fetch takes
     * @param deadlineNanos when to give up waiting for another replica ({@link System#nanoTime()}): the future
     *                      then fails with a {@link TimeoutException}
     * @param executor      where the fetch and the answer continue (never an Infinispan thread)
     */
    public CompletableFuture<Found<T>> getOrFetch(String key, Duration ttl, Duration claimFor, long deadlineNanos,
                                                  Executor executor, Supplier<CompletableFuture<T>> fetch,
                                                  Predicate<T> shareable) {
        Flight flight = new Flight(key, ttl, claimFor, deadlineNanos, executor, fetch, shareable);
        return get(key).thenComposeAsync(found -> found != null ? CompletableFuture.completedFuture(found)
                : flight.claimOrWait(), executor);
    }

    /** One request's look for a key: claim it and fetch, or wait for whoever holds the claim. */
    private final class Flight {
        private final String key;
        private final String claimKey;
        private final Duration ttl;
        private final Duration claimFor;
        private final long deadline;
        private final Executor executor;
        private final Supplier<CompletableFuture<T>> fetch;
        private final Predicate<T> shareable;

        Flight(String key, Duration ttl, Duration claimFor, long deadline, Executor executor,
               Supplier<CompletableFuture<T>> fetch, Predicate<T> shareable) {
            this.key = key;
            this.claimKey = sealed.hashedKey(CLAIM + key);
            this.ttl = ttl;
            this.claimFor = claimFor;
            this.deadline = deadline;
            this.executor = executor;
            this.fetch = fetch;
            this.shareable = shareable;
        }

        CompletableFuture<Found<T>> claimOrWait() {
            // a cluster that does not answer the claim: fetch alone rather than wait for nobody
            return quietly(cache.putIfAbsentAsync(claimKey, replicaId, claimFor.toMillis(), TimeUnit.MILLISECONDS),
                    null).thenComposeAsync(holder -> holder == null ? lookAgainOrFetch() : waitForHolder(), executor);
        }

        /**
         * Claimed: another replica may have shared the value and dropped its claim between this request's first
         * look and its claim, so look once more before fetching (else the burst pays XSI twice).
         */
        private CompletableFuture<Found<T>> lookAgainOrFetch() {
            return get(key).thenComposeAsync(found -> {
                if (found == null) {
                    return fetchAndShare();
                }
                quietly(cache.withFlags(Flag.IGNORE_RETURN_VALUES).removeAsync(claimKey), null);
                return CompletableFuture.completedFuture(found);
            }, executor);
        }

        private CompletableFuture<Found<T>> fetchAndShare() {
            CompletableFuture<T> fetched;
            try {
                fetched = fetch.get();
            } catch (RuntimeException e) {
                fetched = CompletableFuture.failedFuture(e);
            }
            return fetched.whenComplete((value, failure) -> {
                // shared before the claim goes: a waiting replica then finds the value, not an empty key to fetch
                CompletableFuture<Void> shared = failure == null && shareable.test(value) ? put(key, value, ttl)
                        : CompletableFuture.completedFuture(null);
                // unconditionally: byte[] values compare by identity, and a claim past its lifespan is gone anyway
                shared.whenComplete((done, impossible) -> quietly(cache.withFlags(Flag.IGNORE_RETURN_VALUES)
                        .removeAsync(claimKey), null));
            }).thenApply(value -> new Found<>(value, ttl, false));
        }

        private CompletableFuture<Found<T>> waitForHolder() {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return CompletableFuture.failedFuture(new TimeoutException("deadline passed while another replica "
                        + "fetched"));
            }
            Executor later = CompletableFuture.delayedExecutor(Math.min(POLL.toNanos(), remaining),
                    TimeUnit.NANOSECONDS, executor);
            return CompletableFuture.supplyAsync(() -> key, later).thenCompose(SharedRegion.this::get)
                    .thenCompose(found -> found != null ? CompletableFuture.completedFuture(found)
                            : quietly(cache.getAsync(claimKey), null).thenComposeAsync(holder -> holder != null
                                    ? waitForHolder() : claimOrWait(), executor));
        }
    }

    private Found<T> opened(String hashedKey, byte[] value) {
        byte[] plain = sealed.open(hashedKey, value);
        if (plain == null) {
            if (warnedUnopened.compareAndSet(false, true)) {
                LOG.warn("a shared {} entry does not open (sealed with a token key not configured here, or altered):"
                        + " treated as a miss", name);
            }
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            if (in.readByte() != FORMAT) {
                return null;
            }
            long remaining = in.readLong() - System.currentTimeMillis();
            if (remaining <= 0) {
                return null;
            }
            return new Found<>(codec.read(in), Duration.ofMillis(remaining), true);
        } catch (IOException | RuntimeException e) {
            warnOnce("could not be read (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    private byte[] envelope(T value, long expiresAtMillis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(expiresAtMillis);
            codec.write(value, out);
        }
        return bytes.toByteArray();
    }

    /** {@code operation}'s value, or {@code otherwise} when the cluster failed it (logged once, by type only). */
    private <V> CompletableFuture<V> quietly(CompletableFuture<V> operation, V otherwise) {
        return operation.handle((value, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                warnOnce("operation failed (" + cause.getClass().getSimpleName() + "): answered without it");
                return otherwise;
            }
            return value;
        });
    }

    private void warnOnce(String what) {
        if (warnedFailure.compareAndSet(false, true)) {
            LOG.warn("shared {} cache: {}; further such failures are logged at DEBUG", name, what);
        } else {
            LOG.debug("shared {} cache: {}", name, what);
        }
    }

    /** Writes and reads one kind of value; the region puts a version byte and the expiry before it. */
    public interface Codec<T> {
        void write(T value, DataOutput out) throws IOException;

        T read(DataInput in) throws IOException;

        /** A string that may be null, as a presence flag and the string. */
        static void writeNullable(String value, DataOutput out) throws IOException {
            out.writeBoolean(value != null);
            if (value != null) {
                out.writeUTF(value);
            }
        }

        static String readNullable(DataInput in) throws IOException {
            return in.readBoolean() ? in.readUTF() : null;
        }

        /** Bytes (null as none), as their length and the bytes. */
        static void writeBytes(byte[] bytes, DataOutput out) throws IOException {
            byte[] written = bytes == null ? new byte[0] : bytes;
            out.writeInt(written.length);
            out.write(written);
        }

        static byte[] readBytes(DataInput in) throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return bytes;
        }
    }

    /**
     * A value found or fetched.
     *
     * @param remaining how much longer it lives (what a local cache in front may keep it for)
     * @param kept      true when it came from the cluster, false when this request fetched it
     */
    public record Found<T>(T value, Duration remaining, boolean kept) {
    }
}
