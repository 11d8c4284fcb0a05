package org.provproxy.backend;

import java.time.Duration;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Expiry;

/** A Caffeine expiry where each entry lives as long as its value says, from the moment it was written. */
public final class EntryLifetime<K, V> implements Expiry<K, V> {

    private final Function<V, Duration> lifetime;

    public EntryLifetime(Function<V, Duration> lifetime) {
        this.lifetime = lifetime;
    }

    @Override
    public long expireAfterCreate(K key, V value, long now) {
        return lifetime.apply(value).toNanos();
    }

    @Override
    public long expireAfterUpdate(K key, V value, long now, long current) {
        return lifetime.apply(value).toNanos();
    }

    @Override
    public long expireAfterRead(K key, V value, long now, long current) {
        return current;
    }
}
