package io.egressgateway.testbed;

import io.egressgateway.testbed.echo.EchoClient;
import io.egressgateway.testbed.echo.EchoConnection;
import io.egressgateway.testbed.echo.EchoReply;
import java.time.Duration;

/**
 * One pod of the testbed: its network namespace and addresses, and requests made from inside it to
 * the external host's echo server (or any echo server), answering with the source address seen there.
 */
public final class PodHandle {
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final TestbedOptions.PodSpec spec;
    private final String netns;
    private final String ipv4;
    private final String ipv6;

    PodHandle(TestbedOptions.PodSpec spec, String netns, String ipv4, String ipv6) {
        this.spec = spec;
        this.netns = netns;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    public String name() {
        return spec.name();
    }

    public String namespace() {
        return spec.namespace();
    }

    /** Kubernetes name of the node the pod runs on ({@code node<i>}). */
    public String node() {
        return "node" + spec.node();
    }

    public String netns() {
        return netns;
    }

    public String ipv4() {
        return ipv4;
    }

    /** Null unless the testbed is dual stack. */
    public String ipv6() {
        return ipv6;
    }

    /** One TCP request on a new connection to {@code host:port}; what the server saw. 5 s deadline. */
    public EchoReply request(String host, int port) throws Exception {
        return EchoClient.tcp(netns, host, port, DEADLINE);
    }

    public EchoReply request(String host, int port, Duration deadline) throws Exception {
        return EchoClient.tcp(netns, host, port, deadline);
    }

    /** One UDP request; what the server saw. 5 s deadline. */
    public EchoReply requestUdp(String host, int port) throws Exception {
        return EchoClient.udp(netns, host, port, DEADLINE);
    }

    /** A TCP connection kept open, to ask again on the same flow later. */
    public EchoConnection connect(String host, int port) throws Exception {
        return EchoConnection.open(netns, host, port, DEADLINE);
    }

    @Override
    public String toString() {
        return "pod " + spec.namespace() + "/" + spec.name() + " on " + node() + " (" + ipv4
                + (ipv6 == null ? "" : ", " + ipv6) + ", netns " + netns + ")";
    }
}
