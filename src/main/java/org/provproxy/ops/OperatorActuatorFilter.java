package org.provproxy.ops;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may read what under /actuator: the operator (see {@link OperatorCredential}) everything; anyone else
 * /actuator/health and its probes /actuator/health/** (status alone), nothing more: /actuator/prometheus (metrics
 * name tenants and show traffic) and any other endpoint exposed answer 401 as {@code <error>} without the
 * credential. Spring Boot shows health details {@code when-authorized}, to a request with a principal
 * (application.yaml); without Spring Security nothing gives one, so this filter does, for the operator credential
 * only. A wrong credential is refused with 401 rather than quietly taken for anonymous, so an operator notices the
 * typo.
 */
@Component
public class OperatorActuatorFilter extends OncePerRequestFilter {

    private final OperatorCredential operator;
    private final String basePath;

    public OperatorActuatorFilter(OperatorCredential operator,
                                @Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
        this.operator = operator;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals(basePath) || path.startsWith(basePath + "/"));
    }

    /** The health endpoint or one of its groups (the probes): open to anonymous callers. */
    private boolean health(HttpServletRequest request) {
        String path = path(request);
        return path.equals(basePath + "/health") || path.startsWith(basePath + "/health/");
    }

    /**
     * The path the request is dispatched by, as the web server decoded and normalized it (no {@code ..}, no
     * {@code ;params}): the raw request URI would let /actuator/health/../prometheus pass for health.
     */
    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info != null ? info : "");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            if (health(request)) {
                chain.doFilter(request, response);
            } else {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            }
            return;
        }
        if (!operator.matches(authorization)) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        Principal principal = operator::user;
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return principal.getName();
            }
        }, response);
    }
}
