package org.provproxy.backend;

import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-http (used for XSI) takes its settings per component, not per endpoint: timeouts from
 * {@code provisioning.backend-timeout}, the one timeout setting XSI and the DMS share, and the connection pool and
 * the rules both backend clients share ({@link BackendHttp}: deadline, size limit, one retry on a dead pooled
 * connection).
 */
@Configuration(proxyBeanMethods = false)
public class XsiHttpSettings {

    @Bean
    ComponentCustomizer xsiHttpComponent(ProvisioningProperties properties, BackendHttp backendHttp) {
        long timeout = properties.getBackendTimeout().toMillis();
        return ComponentCustomizer.forType(HttpComponent.class, http -> {
            http.setConnectTimeout(timeout);
            http.setConnectionRequestTimeout(timeout);
            http.setSoTimeout(timeout);
            http.setResponseTimeout(timeout);
            // XSI answers with a session cookie; a shared cookie store would carry one user's session to another
            http.setCookieManagementDisabled(true);
            // our pool (sizes, socket timeouts, stale connections checked and evicted) in place of camel-http's
            http.setClientConnectionManager(backendHttp.connectionManager());
            http.setHttpClientConfigurer(backendHttp::configure);
        });
    }
}
