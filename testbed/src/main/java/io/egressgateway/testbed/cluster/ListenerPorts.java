package io.egressgateway.testbed.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Ports for the agents' metrics and health listeners on the machine's loopback. */
final class ListenerPorts {
    private ListenerPorts() {
    }

    /**
     * A port for an agent's listener, below the kernel's ephemeral range: a port the kernel handed out
     * for a bind to port 0 and that was closed again can be the next outgoing connection's source port
     * before the agent binds it (the controller's and agents' connections to the API server come from
     * that range), and the agent then exits on "Address already in use" (a footprint run of
     * 2026-12-03). Below the range only an explicit bind takes a port.
     */
    static int free() {
        int below = ephemeralLow();
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 10_000 + random.nextInt(below - 10_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 between 10000 and " + below);
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > 11_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
