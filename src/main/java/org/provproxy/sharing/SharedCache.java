package org.provproxy.sharing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.eviction.EvictionStrategy;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * The cache shared by replicas (bean {@code sharedCaches}, present only when {@code provisioning.shared-cache.enabled}):
 * one replicated Infinispan cache per kind of entry, handed out as typed {@link SharedRegion}s to the features
 * that keep a local cache in front (backend/BackendCache, account/LastGoodAccountStore, contacts/Directories).
 * <p>
 * REPL_SYNC rather than DIST_SYNC: a deployment runs a few replicas (three in ops/k8s), every sign-in reads, and a
 * replicated cache answers reads locally, without a network round trip; and a replica left alone in an outage
 * still holds every last good account. Memory is bounded per replica ({@code provisioning.cache.max-entries} per
 * kind, least recently used removed first), as without sharing. Writes are synchronous: once a fetching replica's
 * put completed, every replica finds the value.
 */
public final class SharedCache {

    private final EmbeddedCacheManager manager;
    private final SealedEntries sealed;
    private final long maxEntries;
    private final Duration remoteTimeout;

    SharedCache(EmbeddedCacheManager manager, SealedEntries sealed, long maxEntries, Duration remoteTimeout) {
        this.manager = manager;
        this.sealed = sealed;
        this.maxEntries = maxEntries;
        this.remoteTimeout = remoteTimeout;
    }

    /**
     * The region {@code name} (the same name on every replica), its values written by {@code codec}. Defines and
     * starts its cache: called once per kind, while the proxy starts.
     */
    public synchronized <T> SharedRegion<T> region(String name, SharedRegion.Codec<T> codec) {
        if (manager.getCacheConfiguration(name) == null) {
            ConfigurationBuilder cache = new ConfigurationBuilder();
            cache.clustering().cacheMode(CacheMode.REPL_SYNC)
                    .remoteTimeout(remoteTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    // a replica joining serves at once (reads of entries not yet transferred go to the others)
                    .stateTransfer().awaitInitialTransfer(false);
            cache.locking().lockAcquisitionTimeout(remoteTimeout.toMillis(), TimeUnit.MILLISECONDS);
            cache.memory().maxCount(maxEntries).whenFull(EvictionStrategy.REMOVE);
            // String keys and byte[] values, which Infinispan marshals itself: no schema for our classes
            cache.encoding().mediaType(MediaType.APPLICATION_OBJECT_TYPE);
            manager.defineConfiguration(name, cache.build());
        }
        return new SharedRegion<>(name, manager.<String, byte[]>getCache(name).getAdvancedCache(), sealed, codec,
                String.valueOf(manager.getAddress()));
    }
}
