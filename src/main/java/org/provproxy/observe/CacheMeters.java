package org.provproxy.observe;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import org.provproxy.backend.BackendCache;
import org.provproxy.contacts.Directories;
import org.provproxy.shaping.Shaping;
import org.provproxy.walk.DeviceChoice;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The caches' metrics, {@code provisioning_cache_*} with label {@code cache}: Micrometer's Caffeine binder (gets by
 * result hit|miss, puts, evictions, size) for every cache. The backend documents and the directories, which a
 * request joins with a single-flight insert (no Caffeine lookup), count their hits and misses themselves.
 */
@Configuration(proxyBeanMethods = false)
public class CacheMeters {

    private static final String PREFIX = "provisioning.";

    /** Micrometer's cache meters are named cache.*: under the proxy's prefix like every metric of its own. */
    @Bean
    MeterFilter provisioningCacheNames() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith("cache.") ? id.withName(PREFIX + id.getName()) : id;
            }
        };
    }

    @Bean
    MeterBinder provisioningCaches(BackendCache backendCache, Directories directories, Shaping shaping,
                                   DeviceChoice deviceChoice,
                                   @Qualifier("lastGoodAccounts") Cache<String, Object> lastGoodAccounts) {
        return registry -> {
            CaffeineCacheMetrics.monitor(registry, shaping.cache(), "shaped-answers");
            CaffeineCacheMetrics.monitor(registry, lastGoodAccounts, "last-good-accounts");
            CaffeineCacheMetrics.monitor(registry, deviceChoice.cache(), "device-verdicts");
            // these two count their single-flight joins as hits by hand (a put-if-absent is no Caffeine lookup)
            CaffeineCacheMetrics.monitor(registry, backendCache.cache(), "backend-documents");
            CaffeineCacheMetrics.monitor(registry, directories.cache(), "directories");
        };
    }
}
