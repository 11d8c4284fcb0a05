package org.provproxy.failure;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A request that finds every request thread busy (spring.task.execution.pool.max-size requests at once; platform-http
 * runs each on one) is refused by the executor before any route: it gets 503 with Retry-After, as the error page
 * renders it ({@link UnroutedErrors}, which also writes the request's one log line), never a 500. The warning that
 * says why is logged at most once a minute while it lasts.
 */
@Component
class BusyAnswers implements HandlerExceptionResolver, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedExecutionException) {
                long now = System.nanoTime();
                long last = lastLogged.get();
                if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                    LOG.warn("requests refused with 503: every request thread is busy "
                            + "(spring.task.execution.pool.max-size); logged once a minute while it lasts");
                }
                try {
                    response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                } catch (IOException gone) {
                    // the client left; nothing to answer
                }
                return new ModelAndView();
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
