package org.provproxy.account;

import static org.provproxy.sharing.SharedRegion.Codec.readBytes;
import static org.provproxy.sharing.SharedRegion.Codec.readNullable;
import static org.provproxy.sharing.SharedRegion.Codec.writeBytes;
import static org.provproxy.sharing.SharedRegion.Codec.writeNullable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.provproxy.backend.BackendWorkers;
import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.SignIn;
import org.provproxy.sharing.SharedCache;
import org.provproxy.sharing.SharedRegion;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The last good Account XML of each user (key: tenant, user, platform, credential HMAC), served for up to
 * {@code stale-if-error} while XSI or the DMS fail transiently. Every answer sent is remembered here
 * ({@link StoredAccounts#remember}, a plain put: it runs for every sign-in); the failure path reads it
 * ({@link StoredAccounts#lastGood}). Entries expire after their own tenant's stale-if-error. With the cache shared
 * by replicas ({@code provisioning.shared-cache}) every answer is also remembered there, and a replica that has
 * none for the user reads the one another replica sent: a refresh reaching another replica during an outage
 * still gets its account.
 */
@Configuration(proxyBeanMethods = false)
public class LastGoodAccountStore {

    @Bean("lastGoodAccounts")
    Cache<String, Object> lastGoodAccounts(ProvisioningProperties properties) {
        return Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<String, Object>(value -> ((Stored) value).keep()))
                .recordStats()
                .build();
    }

    @Bean("storedAccounts")
    StoredAccounts storedAccounts(@Qualifier("lastGoodAccounts") Cache<String, Object> lastGoodAccounts,
                                  ObjectProvider<SharedCache> sharedCache, BackendWorkers workers) {
        SharedCache shared = sharedCache.getIfAvailable();
        return new StoredAccounts(lastGoodAccounts,
                shared == null ? null : shared.region("last-good-accounts", new StoredCodec()), workers);
    }

    /** A stored answer: the account (or global answer) as sent, its version, how long it may be served stale. */
    public record Stored(byte[] body, AccountVersion version, Duration keep) {
    }

    public static class StoredAccounts {

        private final Cache<String, Object> lastGoodAccounts;
        /** The last good accounts of every replica, or null: this replica's alone. */
        private final SharedRegion<Stored> shared;
        private final BackendWorkers workers;

        StoredAccounts(Cache<String, Object> lastGoodAccounts, SharedRegion<Stored> shared, BackendWorkers workers) {
            this.lastGoodAccounts = lastGoodAccounts;
            this.shared = shared;
            this.workers = workers;
        }

        /**
         * The user's last good answer (the body: null when none is kept): this replica's, else, with the cache
         * shared by replicas, the one another replica sent (kept here too for what is left of its time).
         */
        public CompletableFuture<Stored> lastGood(@Variable("signIn") SignIn signIn) {
            Object kept = lastGoodAccounts.getIfPresent(signIn.lastGoodKey());
            if (kept != null || shared == null) {
                return CompletableFuture.completedFuture((Stored) kept);
            }
            CompletableFuture<Stored> fromReplicas = shared.get(signIn.lastGoodKey()).thenApply(found -> {
                if (found == null) {
                    return null;
                }
                Stored stored = found.value();
                lastGoodAccounts.put(signIn.lastGoodKey(), new Stored(stored.body(), stored.version(),
                        found.remaining()));
                return stored;
            });
            // the rest of the failure path runs on a worker, never on a cluster thread
            return workers.handOver(fromReplicas, MDC.getCopyOfContextMap());
        }

        /** Keeps the answer about to be sent, unless the tenant serves no stale answers. */
        public void remember(@Body byte[] body, @Variable("version") AccountVersion version,
                             @Variable("signIn") SignIn signIn) {
            Duration keep = signIn.tenant().staleIfError();
            if (keep != null && !keep.isZero() && !keep.isNegative()) {
                Stored stored = new Stored(body, version, keep);
                lastGoodAccounts.put(signIn.lastGoodKey(), stored);
                if (shared != null) {
                    // not waited for: the answer leaves now, the other replicas have it a moment later
                    shared.put(signIn.lastGoodKey(), stored, keep);
                }
            }
        }
    }

    /** A stored answer's bytes for the replicas: body, validators, the token it carries (sealed), its time. */
    static final class StoredCodec implements SharedRegion.Codec<Stored> {

        @Override
        public void write(Stored stored, DataOutput out) throws IOException {
            writeBytes(stored.body(), out);
            AccountVersion version = stored.version();
            out.writeBoolean(version != null);
            if (version != null) {
                writeNullable(version.etag(), out);
                writeNullable(version.lastModified(), out);
                writeNullable(version.token(), out);
                out.writeBoolean(version.notModified());
            }
            out.writeLong(stored.keep().toMillis());
        }

        @Override
        public Stored read(DataInput in) throws IOException {
            byte[] body = readBytes(in);
            AccountVersion version = in.readBoolean()
                    ? new AccountVersion(readNullable(in), readNullable(in), readNullable(in), in.readBoolean()) : null;
            return new Stored(body, version, Duration.ofMillis(in.readLong()));
        }
    }
}
