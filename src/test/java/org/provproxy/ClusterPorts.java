package org.provproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the shared cache's cluster in tests, below the kernel's ephemeral range (Linux: from
 * 32768). A replica connects to members that are not listening yet; with a port from the ephemeral range, such a
 * connection's own local port can be that very port (TCP connects to itself on loopback), and the member then
 * cannot bind it. Seen once in CI as a BindException.
 */
public final class ClusterPorts {

    private ClusterPorts() {
    }

    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on the loopback");
    }
}
