package org.provproxy.sharing;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health component {@code sharedCache} while the cache is not shared (the default): UP, saying so. It always
 * exists, so the readiness group can name it and Spring Boot still checks that every member it names exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "provisioning.shared-cache", name = "enabled", havingValue = "false",
        matchIfMissing = true)
class SharedCacheOff {

    @Bean("sharedCache")
    HealthIndicator sharedCache() {
        Health off = Health.up().withDetail("shared", false).build();
        return () -> off;
    }
}
