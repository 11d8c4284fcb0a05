package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The default: each replica caches alone, and nothing of the shared cache exists (the suite's settings). */
class SharedCacheOffTest extends ProxyTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void withoutTheSettingNoClusterStarts() {
        assertThat(context.containsBean("sharedCaches")).isFalse();
        assertThat(context.containsBean("sharedCache")).isFalse();
        assertThat(context.containsBean("sharedCacheManager")).isFalse();
    }
}
