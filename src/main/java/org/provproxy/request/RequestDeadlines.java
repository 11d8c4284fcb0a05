package org.provproxy.request;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The deadline of every request ({@code provisioning.request-deadline}), counted from its arrival at the web
 * server: a request that waited for a free thread has had part of its time already. The routes run asynchronously
 * to the servlet, whose own async timeout would answer in their place; it is kept past the deadline
 * ({@link AsyncTimeout}), so the routes' answer (from the error table) always comes first.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestDeadlines extends OncePerRequestFilter {

    /** How long after the deadline the servlet's async timeout may answer, if the routes have not. */
    static final Duration SERVLET_GRACE = Duration.ofSeconds(5);
    private static final String ARRIVAL = RequestDeadlines.class.getName() + ".arrival";

    private final Duration budget;

    public RequestDeadlines(ProvisioningProperties properties) {
        this.budget = properties.getRequestDeadline();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ARRIVAL, System.nanoTime());
        chain.doFilter(request, response);
    }

    /** The deadline of the request {@code in} came with: its arrival (now, if unknown) plus the budget. */
    public Deadline of(Message in) {
        Object arrival = in instanceof PlatformHttpMessage http && http.getRequest() != null
                ? http.getRequest().getAttribute(ARRIVAL) : null;
        return Deadline.after(arrival instanceof Long nanos ? nanos : System.nanoTime(), budget);
    }

    /**
     * The servlet's async timeout, {@code spring.mvc.async.request-timeout} or the container's 30 s, is made at
     * least the request deadline plus {@link #SERVLET_GRACE}. Applied after Spring Boot's own setting (lowest
     * precedence), which it would otherwise replace.
     */
    @Component
    @Order(Ordered.LOWEST_PRECEDENCE)
    static class AsyncTimeout implements WebMvcConfigurer {

        private final Duration timeout;

        AsyncTimeout(ProvisioningProperties properties, ObjectProvider<WebMvcProperties> mvc) {
            Duration floor = properties.getRequestDeadline().plus(SERVLET_GRACE);
            WebMvcProperties configured = mvc.getIfAvailable();
            Duration asked = configured == null ? null : configured.getAsync().getRequestTimeout();
            this.timeout = asked != null && asked.compareTo(floor) > 0 ? asked : floor;
        }

        @Override
        public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
            configurer.setDefaultTimeout(timeout.toMillis());
        }
    }
}
