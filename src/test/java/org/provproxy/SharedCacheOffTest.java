package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ApplicationContext;

/** The default: each replica caches alone, and nothing of the shared cache exists (the suite's settings). */
class SharedCacheOffTest extends ProxyTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void withoutTheSettingNoClusterStarts() {
        assertThat(context.containsBean("sharedCaches")).isFalse();
        // the health component says so, for the readiness group that names it
        assertThat(context.getBean("sharedCache", HealthIndicator.class).health().getDetails())
                .containsEntry("shared", false);
        assertThat(context.containsBean("sharedCacheManager")).isFalse();
    }
}
