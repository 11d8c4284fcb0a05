package org.provproxy.config;

import org.springframework.stereotype.Component;

/**
 * The base URL the app reaches the proxy at, for the URLs the proxy hands out (the dial action's, to which the app
 * posts its token): {@code provisioning.public-url}, or, in the demo without it, this server's own
 * {@code http://localhost:<port>}. Never taken from a request: its Host header can be forged, and behind a
 * TLS-terminating balancer the request's scheme is http, so the app would post its token in clear.
 */
@Component
public class PublicUrl {

    private final ProvisioningProperties properties;
    private final LocalServer server;

    public PublicUrl(ProvisioningProperties properties, LocalServer server) {
        this.properties = properties;
        this.server = server;
    }

    /**
     * The base URL without a trailing slash, or null when none is known: outside the demo without public-url,
     * which the validator allows only when no tenant offers an action hosted by the proxy.
     */
    public String base() {
        String configured = properties.getPublicUrl() == null ? "" : properties.getPublicUrl().strip();
        if (!configured.isEmpty()) {
            return configured.replaceAll("/+$", "");
        }
        return properties.getDemo().isEnabled() ? "http://localhost:" + server.port() : null;
    }
}
