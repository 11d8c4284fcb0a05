package org.provproxy.backend;

import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-http (used for XSI) takes timeouts per component, not per endpoint: set them from
 * {@code provisioning.backend-timeout}, the one timeout setting XSI and the DMS share; and its client follows the
 * rules both backend clients share ({@link BackendHttp}).
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
            http.setMaxTotalConnections(200);
            http.setConnectionsPerRoute(100);
            // HttpClient would re-send on 503 and 429: more load on an overloaded XSI and a longer wait for the app
            http.setHttpClientConfigurer(builder -> backendHttp.configure(builder).disableAutomaticRetries());
        });
    }
}
