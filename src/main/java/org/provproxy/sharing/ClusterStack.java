package org.provproxy.sharing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.jgroups.JChannel;
import org.jgroups.protocols.Discovery;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.provproxy.config.ProvisioningProperties;

/**
 * The JGroups stack the replicas talk over: TCP (no multicast, which container networks and clouds rarely carry),
 * Infinispan's default TCP stack otherwise, built here from {@code provisioning.shared-cache.*} rather than an XML
 * file. Discovery by a static list (TCPPING: tests, VMs) or by DNS (DNS_PING: the A records of a Kubernetes
 * headless Service, each replica on the same port). Failure detection by heartbeats only (FD_ALL3), so a replica
 * needs one port, not a second one at a fixed offset.
 */
final class ClusterStack {

    private ClusterStack() {
    }

    /** What the cluster key is derived for from the first token key (AccountTokens.subkeys). */
    static final String CLUSTER_KEY = "shared-cache-cluster";

    /**
     * A channel (not connected: Infinispan connects it) for these settings, its messages encrypted with
     * {@code clusterKey} (AES, 32 bytes): a host without the replicas' token key can neither read the cluster's
     * traffic nor join it, since its join request does not decrypt.
     */
    static JChannel channel(ProvisioningProperties.SharedCache settings, byte[] clusterKey) throws Exception {
        TCP tcp = new TCP();
        tcp.setBindAddr(bindAddress(settings));
        tcp.setValue("bind_port", settings.getPort());
        tcp.setValue("port_range", 0);
        tcp.setValue("sock_conn_timeout", 300);
        Discovery discovery;
        if (!settings.getMembers().isEmpty()) {
            discovery = new TCPPING().setInitialHosts(members(settings)).setPortRange(0);
        } else {
            discovery = new DNS_PING().setDNSQuery(settings.getDnsQuery());
        }
        long join = settings.getJoinTimeout().toMillis();
        GMS gms = new GMS().setJoinTimeout(join).setMaxJoinAttempts(3);
        gms.setValue("print_local_addr", false);
        FD_ALL3 heartbeats = new FD_ALL3();
        heartbeats.setValue("interval", 2000L);
        heartbeats.setValue("timeout", 10_000L);
        List<Protocol> protocols = List.of(tcp, discovery, new MERGE3(), heartbeats,
                new VERIFY_SUSPECT2().setValue("timeout", 1000L),
                // below the reliable delivery and membership, above discovery: JGroups' place for it
                new SYM_ENCRYPT().setSecretKey(new SecretKeySpec(clusterKey, "AES")),
                new NAKACK2().setValue("use_mcast_xmit", false),
                new UNICAST3(), new STABLE(), gms, new UFC(), new MFC(), new FRAG4());
        return new JChannel(protocols.toArray(Protocol[]::new));
    }

    /** Each member as host:port, the cluster's port when it gives none. */
    static List<InetSocketAddress> members(ProvisioningProperties.SharedCache settings) {
        List<InetSocketAddress> members = new ArrayList<>();
        for (String member : settings.getMembers()) {
            String trimmed = member.trim();
            int colon = trimmed.lastIndexOf(':');
            boolean hasPort = colon > 0 && trimmed.indexOf(']') < colon && trimmed.indexOf(':') == colon
                    || trimmed.startsWith("[") && colon > trimmed.indexOf(']');
            String host = hasPort ? trimmed.substring(0, colon) : trimmed;
            int port = hasPort ? Integer.parseInt(trimmed.substring(colon + 1)) : settings.getPort();
            members.add(new InetSocketAddress(host.replace("[", "").replace("]", ""), port));
        }
        return members;
    }

    /**
     * The address given; else the loopback when every member is a loopback address (one machine: tests, a try
     * out), else the first site-local IPv4 address (10/8, 172.16/12, 192.168/16: a pod's or a VM's private
     * address), else the first non-loopback one.
     */
    static InetAddress bindAddress(ProvisioningProperties.SharedCache settings) throws SocketException,
            UnknownHostException {
        if (!settings.getBindAddress().isBlank()) {
            return InetAddress.getByName(settings.getBindAddress().trim());
        }
        List<InetSocketAddress> members = members(settings);
        if (!members.isEmpty() && members.stream().allMatch(m -> m.getAddress() != null
                && m.getAddress().isLoopbackAddress())) {
            return InetAddress.getLoopbackAddress();
        }
        InetAddress nonLoopback = null;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
                    return address;
                }
                if (nonLoopback == null && address instanceof Inet4Address) {
                    nonLoopback = address;
                }
            }
        }
        if (nonLoopback == null) {
            throw new UnknownHostException("no network address to bind the shared cache's cluster to: set "
                    + "provisioning.shared-cache.bind-address");
        }
        return nonLoopback;
    }

    static Duration remoteTimeout(ProvisioningProperties properties) {
        Duration backend = properties.getBackendTimeout();
        return backend.compareTo(Duration.ofSeconds(2)) > 0 ? backend : Duration.ofSeconds(2);
    }
}
