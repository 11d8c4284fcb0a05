package org.provproxy.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Installs {@link SecretMaskingTurboFilter} in logback, in code rather than in a logback file, so it also holds
 * under an operator's own logging configuration (logging.config). A logback reset drops turbo filters, so it is
 * installed whenever one happens: right after Spring Boot (re)initializes logging (this listener, registered in
 * META-INF/spring.factories, runs just after Spring Boot's {@link LoggingApplicationListener}, also for a second
 * application in the same JVM, e.g. {@code validate}), and on logback's own reconfiguration (a reset-resistant
 * context listener).
 */
public class SecretMasking implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            install(context);
        }
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    /** Adds the filter and the listener that re-adds it after a reset, each unless already there. */
    static void install(LoggerContext context) {
        synchronized (context) {
            if (context.getTurboFilterList().stream().map(TurboFilter::getName)
                    .noneMatch(SecretMaskingTurboFilter.NAME::equals)) {
                SecretMaskingTurboFilter filter = new SecretMaskingTurboFilter();
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
            if (context.getCopyOfListenerList().stream().noneMatch(ReinstallOnReset.class::isInstance)) {
                context.addListener(new ReinstallOnReset());
            }
        }
    }

    /** Logback's own reconfiguration (a changed logback file with scan on) resets the context: install again. */
    private static final class ReinstallOnReset implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onReset(LoggerContext context) {
            install(context);
        }

        @Override
        public void onStart(LoggerContext context) {
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }
}
