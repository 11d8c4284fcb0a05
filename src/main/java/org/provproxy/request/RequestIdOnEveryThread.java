package org.provproxy.request;

import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.apache.camel.spi.ThreadPoolFactory;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

/**
 * The request id on every log line of a request, set once: {@link ProvisioningRequestReader#identify} puts it in
 * the logging MDC of the thread running the request, and each task the request hands to a Camel thread pool (the
 * walk's parallel branches, and what continues after them) carries it there. Camel's own MDC support
 * (camel.main.use-mdc-logging) did the same by copying the MDC around every processor of every route, about a tenth
 * of a sign-in's CPU.
 */
@Configuration(proxyBeanMethods = false)
public class RequestIdOnEveryThread {

    /** Camel's thread pools (found in the registry by camel-main): their tasks run with their submitter's MDC. */
    @Bean
    ThreadPoolFactory requestIdThreadPools() {
        return new DefaultThreadPoolFactory() {
            @Override
            public ExecutorService newThreadPool(ThreadPoolProfile profile, ThreadFactory threadFactory) {
                return new WithCallersMdc(super.newThreadPool(profile, threadFactory));
            }
        };
    }

    /** The request executor of platform-http: no request's id stays on its thread for the next one. */
    @Bean
    TaskDecorator requestIdCleared() {
        return task -> () -> {
            try {
                task.run();
            } finally {
                MDC.clear();
            }
        };
    }

    /** A pool whose tasks run with the MDC of the thread that handed them over; the rest is the pool's own. */
    static final class WithCallersMdc extends AbstractExecutorService {

        private final ExecutorService pool;

        WithCallersMdc(ExecutorService pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            pool.execute(withCallersMdc(task));
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }

        @Override
        public String toString() {
            return pool.toString();
        }
    }

    static Runnable withCallersMdc(Runnable task) {
        return withMdc(MDC.getCopyOfContextMap(), task);
    }

    /** {@code task}, to run with this MDC (a request's, captured earlier), the thread's own restored after it. */
    public static Runnable withMdc(Map<String, String> mdc, Runnable task) {
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc);
            } else {
                MDC.clear();
            }
            try {
                task.run();
            } finally {
                if (own != null) {
                    MDC.setContextMap(own);
                } else {
                    MDC.clear();
                }
            }
        };
    }
}
