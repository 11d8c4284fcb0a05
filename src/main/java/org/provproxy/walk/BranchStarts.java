package org.provproxy.walk;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where a walk's parallel branches start (the {@code executorService} of the walks' multicast and split): on the
 * thread that reaches them, one after the other. A branch only starts there: it sends its backend call, which is
 * asynchronous, and lets go; what follows the answer runs on backend/BackendWorkers. So the calls still run at the
 * same time, without handing each branch's start to a pool thread first (three thread wake-ups per sign-in, and
 * their kernel time, for nothing). A branch whose answers are all cached runs through on this thread, as it would
 * have on the pool's. Camel's own pools run a branch on the caller too when their queue is full.
 * <p>
 * Bound in Camel's registry only: an {@code Executor} among Spring's beans would make Spring Boot leave out its
 * own task executor, which platform-http needs.
 */
final class BranchStarts extends AbstractExecutorService {

    /** The name the walks' routes give as {@code executorService}. */
    static final String NAME = "branchStarts";

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        CamelContextConfiguration branchStartsInCamel() {
            return new CamelContextConfiguration() {
                @Override
                public void beforeApplicationStart(CamelContext camel) {
                    camel.getRegistry().bind(NAME, new BranchStarts());
                }

                @Override
                public void afterApplicationStart(CamelContext camel) {
                }
            };
        }
    }

    @Override
    public void execute(Runnable branch) {
        branch.run();
    }

    // shared by every walk and owned by Spring: nothing to shut down, so Camel's shutdown calls change nothing

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
