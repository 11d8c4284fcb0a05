package org.provproxy.request;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.provproxy.config.TrustedProxies;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request, for the failed sign-in limits: the peer, unless the peer is a trusted
 * proxy ({@code provisioning.trusted-proxies}); then the nearest address of X-Forwarded-For that is not one (the
 * entries left of it are the client's to write, so they are never believed). Spring Boot's own forwarded-header
 * handling is off (server.forward-headers-strategy: none), so the peer is the peer.
 */
@Component
public class ClientAddresses {

    private final TrustedProxies trusted;

    public ClientAddresses(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        InetAddress client = TrustedProxies.literal(peer);
        if (client == null) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0 && trusted.trusts(client); i--) {
            InetAddress hop = TrustedProxies.literal(hops.get(i));
            if (hop == null) {
                // not an address: the trusted proxy that passed it on is the nearest client known
                break;
            }
            client = hop;
        }
        return client.getHostAddress();
    }
}
