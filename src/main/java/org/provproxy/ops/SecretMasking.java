package org.provproxy.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Installs {@link SecretMaskingTurboFilter} in the application's logback context, in code rather than in a logback
 * file, so it also holds when an operator brings their own logging configuration (logging.config). Once: a context
 * already holding it (a second application context in the same JVM) keeps the one it has.
 */
@Component
class SecretMasking implements InitializingBean {

    @Override
    public void afterPropertiesSet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        synchronized (context) {
            for (TurboFilter filter : context.getTurboFilterList()) {
                if (SecretMaskingTurboFilter.NAME.equals(filter.getName())) {
                    return;
                }
            }
            SecretMaskingTurboFilter filter = new SecretMaskingTurboFilter();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }
}
