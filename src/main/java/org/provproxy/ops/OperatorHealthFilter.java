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
 * Who may read the details of /actuator/health: the operator (see {@link OperatorCredential}). Spring Boot shows
 * them {@code when-authorized}, to a request with a principal (application.yaml); without Spring Security nothing
 * gives one, so this filter does, for the operator credential only. A request without Authorization sees the status
 * alone (probes, balancers); a wrong credential is refused with 401 as {@code <error>} rather than quietly taken for
 * anonymous, so an operator notices the typo.
 */
@Component
public class OperatorHealthFilter extends OncePerRequestFilter {

    private final OperatorCredential operator;
    private final String basePath;

    public OperatorHealthFilter(OperatorCredential operator,
                                @Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
        this.operator = operator;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals(basePath) || path.startsWith(basePath + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            chain.doFilter(request, response);
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
