package org.provproxy.observe;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
 * result hit|miss, puts, evictions, size) for the caches read by lookup (shaped-answers, last-good-accounts,
 * device-verdicts), and the size alone for those a request joins with a single-flight insert, which Caffeine counts
 * as no lookup (backend-documents, directories): the backend documents' hits are the backend calls answered
 * {@code cached="true"} ({@link RequestObservations}).
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
            size(registry, "backend-documents", backendCache, cache -> cache.keys().size());
            size(registry, "directories", directories, kept -> kept.cache().synchronous().estimatedSize());
        };
    }

    private static <T> void size(MeterRegistry registry, String cache, T owner,
                                 java.util.function.ToDoubleFunction<T> size) {
        // named as the binder names it before the filter above: the same metric as the other caches' sizes
        Gauge.builder("cache.size", owner, size).tags(Tags.of("cache", cache))
                .description("The number of entries in this cache. This may be an approximation, depending on the "
                        + "type of cache.")
                .strongReference(true).register(registry);
    }
}
