package org.provproxy.walk;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where a walk's parallel branches start (the {@code executorService} of the walks' multicast and split): on the
 * thread that reaches them, one after the other (Camel's {@link SynchronousExecutorService}). A branch only starts
 * there: it sends its backend call, which is asynchronous, and lets go; what follows the answer runs on
 * backend/BackendWorkers. So the calls still run at the same time, without handing each branch's start to a pool
 * thread first (three thread wake-ups per sign-in, and their kernel time, for nothing). A branch whose answers are
 * all cached runs through on this thread, as it would have on the pool's. Camel's own pools run a branch on the
 * caller too when their queue is full.
 * <p>
 * Bound in Camel's registry only: an {@code Executor} among Spring's beans would make Spring Boot leave out its
 * own task executor, which platform-http needs.
 */
@Configuration(proxyBeanMethods = false)
class BranchStarts {

    /** The name the walks' routes give as {@code executorService}. */
    static final String NAME = "branchStarts";

    @Bean
    CamelContextConfiguration branchStartsInCamel() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // it runs every task on its caller, shut down or not: Camel's shutdown calls change nothing
                camel.getRegistry().bind(NAME, new SynchronousExecutorService());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
