package org.provproxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TrustedProxies;
import org.springframework.mock.web.MockHttpServletRequest;

/** X-Forwarded-For is believed only from a trusted proxy, and only as far as the chain of trusted proxies goes. */
class ClientAddressesTest {

    private static ClientAddresses trusting(String... proxies) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setTrustedProxies(List.of(proxies));
        return new ClientAddresses(new TrustedProxies(properties));
    }

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
        // a peer that is no trusted proxy: its header is the client's own text
        "198.51.100.9 | 203.0.113.7            | 198.51.100.9",
        "198.51.100.9 | ''                     | 198.51.100.9",
        // the balancer's peer is the client; what the client wrote left of it is not believed
        "10.0.0.5     | 203.0.113.7            | 203.0.113.7",
        "10.0.0.5     | 192.0.2.66, 203.0.113.7 | 203.0.113.7",
        // two trusted hops: the nearest untrusted address
        "10.0.0.5     | 203.0.113.7, 10.1.2.3   | 203.0.113.7",
        // nothing forwarded: the balancer itself
        "10.0.0.5     | ''                     | 10.0.0.5",
        // not an address (never looked up): the trusted hop that passed it on
        "10.0.0.5     | evil.example, 10.1.2.3 | 10.1.2.3",
        "10.0.0.5     | 999.1.1.1              | 10.0.0.5",
        "10.0.0.5     | '[2001:db8::7]'        | 2001:db8:0:0:0:0:0:7"})
    void theClientIsThePeerOrTheNearestUntrustedForwardedAddress(String peer, String forwarded, String client) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        if (!forwarded.isEmpty()) {
            request.addHeader("X-Forwarded-For", forwarded);
        }
        assertThat(trusting("10.0.0.0/8").of(request)).isEqualTo(client);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8,true", "192.0.2.1,true", "2001:db8::/32,true", "::1,true", "10.0.0.0/33,false",
        "proxy.example,false", "10.0.0.0/x,false", "'',false", "300.0.0.1,false"})
    void trustedProxiesAreAddressesOrCidrs(String entry, boolean valid) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setTrustedProxies(List.of(entry));
        assertThat(org.provproxy.config.ConfigurationProblems.of(properties)).as(entry).hasSize(valid ? 0 : 1);
    }
}
