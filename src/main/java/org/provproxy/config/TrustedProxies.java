package org.provproxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.catalina.util.NetMask;
import org.springframework.stereotype.Component;

/**
 * {@code provisioning.trusted-proxies}: the balancers whose X-Forwarded-For is believed. Matching is Tomcat's
 * {@link NetMask} (what its RemoteCIDRValve uses); addresses are read as IP literals only, never looked up by name,
 * so neither a setting nor a forged header can make the proxy ask DNS.
 */
@Component
public class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<NetMask> masks;

    public TrustedProxies(ProvisioningProperties properties) {
        List<NetMask> parsed = new ArrayList<>();
        for (String entry : properties.getTrustedProxies()) {
            // validated at start (ProvisioningPropertiesValidator): each is an address or a CIDR
            parsed.add(mask(entry));
        }
        this.masks = List.copyOf(parsed);
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean trusts(InetAddress address) {
        for (NetMask mask : masks) {
            if (mask.matches(address)) {
                return true;
            }
        }
        return false;
    }

    /** The mask of a setting ({@code 10.0.0.0/8}, {@code 192.0.2.1}, {@code 2001:db8::/32}); null if it is none. */
    static NetMask mask(String entry) {
        String text = entry == null ? "" : entry.strip();
        int slash = text.indexOf('/');
        if (literal(slash < 0 ? text : text.substring(0, slash)) == null) {
            return null;
        }
        try {
            return new NetMask(text);
        } catch (IllegalArgumentException invalid) {
            return null;
        }
    }

    /**
     * {@code text} as an IP address if it is an IPv4 or IPv6 literal (IPv6 optionally in brackets), else null.
     * Never a name lookup: IPv4 is assembled from its octets, IPv6 parsed in brackets, where Java accepts a literal
     * only.
     */
    public static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String value = text.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            var ipv4 = IPV4.matcher(value);
            if (ipv4.matches()) {
                byte[] octets = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(ipv4.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    octets[i] = (byte) octet;
                }
                return InetAddress.getByAddress(octets);
            }
            return IPV6.matcher(value).matches() ? InetAddress.getByName("[" + value + "]") : null;
        } catch (UnknownHostException notALiteral) {
            return null;
        }
    }
}
