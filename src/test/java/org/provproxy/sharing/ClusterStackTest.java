package org.provproxy.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.awaitility.Awaitility;
import org.jgroups.JChannel;
import org.junit.jupiter.api.Test;
import org.provproxy.ClusterPorts;
import org.provproxy.config.ProvisioningProperties;

/** The replicas' channel: only a replica holding the same token key joins the cluster. */
class ClusterStackTest {

    private static final byte[] KEY = key(1);

    @Test
    void aReplicaWithTheSameKeyJoins() throws Exception {
        int[] ports = {ClusterPorts.free(), ClusterPorts.free()};
        try (JChannel first = connected(ports, 0, KEY); JChannel second = connected(ports, 1, KEY)) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> first.getView().size() == 2
                    && second.getView().size() == 2);
        }
    }

    @Test
    void aHostWithoutTheKeyCannotJoin() throws Exception {
        int[] ports = {ClusterPorts.free(), ClusterPorts.free()};
        try (JChannel replica = connected(ports, 0, KEY); JChannel stranger = connected(ports, 1, key(2))) {
            // both connected (the stranger, failing to join, formed a cluster of its own): neither sees the other
            assertThat(replica.getView().size()).isEqualTo(1);
            assertThat(stranger.getView().size()).isEqualTo(1);
        }
    }

    private static JChannel connected(int[] ports, int mine, byte[] key) throws Exception {
        ProvisioningProperties.SharedCache settings = new ProvisioningProperties.SharedCache();
        settings.setPort(ports[mine]);
        settings.setMembers(List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
        settings.setJoinTimeout(Duration.ofSeconds(1));
        JChannel channel = ClusterStack.channel(settings, key);
        channel.connect("cluster-stack-test");
        return channel;
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

}
