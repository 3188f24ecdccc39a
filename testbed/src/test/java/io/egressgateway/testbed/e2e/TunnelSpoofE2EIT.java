package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ArpWatch;
import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.Netns;
import io.egressgateway.testbed.netns.NetnsThread;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Only the cluster's nodes reach the tunnel (docs/datapath.md, "Trust boundaries"). A host on the
 * underlay that is not a node builds VXLAN frames itself (a vxlan device in a namespace this test
 * makes, bridged onto the underlay, with the active gateway as remote) whose inner packet carries a
 * selected pod's address: nothing reaches the external host (tcpdump there), whether the frames
 * come from the host's own address (the gateway's raw PREROUTING drops them: not a peer) or from a
 * forged node address with a tunnel MAC no node has (no mark, dropped in filter FORWARD); the
 * counters of those two rules prove the frames arrived. The real pod's datagrams to the same port
 * still leave with the EIP.
 */
class TunnelSpoofE2EIT extends ShopPolicyE2E {
    private static final int PORT = 40999;
    private static final String SPOOF_MAC = "02:de:ad:be:ef:01";
    private String spoofNs;

    @AfterEach
    void removeSpoofer() {
        if (spoofNs != null) {
            Netns.delete(spoofNs);
            spoofNs = null;
        }
    }

    @Test
    void framesFromAHostThatIsNotANodeNeverLeaveWithTheEip() throws Exception {
        eventuallySeen("shop-1", eip);
        String gw = awaitPolicyStatus("shop", "node");
        String podIp = testbed.pod("shop-1").ipv4();
        String gwTunnelMac = String.valueOf(Resources.status(resources.get("EgressNode", gw), "tunnelMac"));
        String node1Mac = String.valueOf(Resources.status(resources.get("EgressNode", "node1"), "tunnelMac"));
        spoofNs = testbed.prefix() + "spoof";
        Netns.create(spoofNs);
        String port = "spoof" + testbed.prefix().substring(4, 9);
        testbed.exec(testbed.fabricNetns(), "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0",
                "netns", spoofNs);
        testbed.exec(testbed.fabricNetns(), "ip", "link", "set", port, "master", "br0", "up");
        spoof("ip", "addr", "add", "192.0.2.250/24", "dev", "eth0");
        // The forged node address: never answered or announced, so the underlay keeps node1's MAC for it.
        spoof("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=8");
        spoof("ip", "addr", "add", testbed.nodeAddress("node1") + "/32", "dev", "eth0");
        spoof("ip", "link", "set", "eth0", "up");
        spoof("ip", "neigh", "replace", testbed.nodeAddress(gw), "lladdr", ArpWatch.macOf(testbed, gw), "dev", "eth0",
                "nud", "permanent");

        try (ManagedProcess capture = capture()) {
            // 1. From the host's own address, wearing node1's real tunnel MAC: only the peer set stops it.
            vxlan("192.0.2.250", node1Mac, gw, gwTunnelMac, podIp);
            long guard = counter(gw, "raw", "PREROUTING", GUARD);
            send(podIp, "spoof-unknown-host");
            Waits.until("the gateway's tunnel guard to drop the frames", DEADLINE,
                    () -> counter(gw, "raw", "PREROUTING", GUARD) > guard);

            // 2. From node1's underlay address, with a tunnel MAC no node has: gets no mark, dropped in FORWARD.
            spoof("ip", "link", "del", "vx0");
            vxlan(testbed.nodeAddress("node1"), SPOOF_MAC, gw, gwTunnelMac, podIp);
            long fwd = counter(gw, "filter", "FORWARD", UNKNOWN_MAC);
            send(podIp, "spoof-unknown-mac");
            Waits.until("the gateway to drop tunnel frames from an unknown MAC", DEADLINE,
                    () -> counter(gw, "filter", "FORWARD", UNKNOWN_MAC) > fwd);

            // The real pod, to the same port: seen with the EIP (and the capture works).
            Waits.until("shop-1's datagram to be captured from " + eip, DEADLINE, () -> {
                NetnsThread.call(testbed.pod("shop-1").netns(), Duration.ofSeconds(5), () -> {
                    try (DatagramSocket s = new DatagramSocket()) {
                        byte[] b = "real-pod".getBytes(StandardCharsets.US_ASCII);
                        s.send(new DatagramPacket(b, b.length, InetAddress.getByName(testbed.externalAddress()), PORT));
                    }
                    return null;
                });
                return capture.logTail(1000).contains(eip + "." );
            });
            String seen = capture.logTail(1000);
            System.out.println("external host's capture of udp port " + PORT + ":\n" + seen);
            List<String> packets = seen.lines().filter(l -> l.contains(" > " + testbed.externalAddress() + "." + PORT))
                    .toList();
            assertThat(packets).as("datagrams to port %d at the external host", PORT).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).contains(" " + eip + ".").doesNotContain(podIp + "."));
            assertThat(seen).as("a spoofed datagram reached the external host").doesNotContain("spoof-");
        }
        eventuallySeen("shop-1", eip);
    }

    private void spoof(String... argv) {
        testbed.exec(spoofNs, argv);
    }

    /** vx0 in the spoofing namespace: VNI and port of the cluster, the gateway as remote, the pod's address. */
    private void vxlan(String local, String mac, String gw, String gwTunnelMac, String podIp) {
        spoof("ip", "link", "add", "vx0", "address", mac, "type", "vxlan", "id", "100", "dstport", "7789",
                "remote", testbed.nodeAddress(gw), "local", local, "dev", "eth0", "nolearning");
        spoof("ip", "addr", "add", podIp + "/32", "dev", "vx0");
        spoof("ip", "link", "set", "vx0", "up");
        spoof("ip", "route", "replace", testbed.externalAddress() + "/32", "dev", "vx0", "src", podIp);
        spoof("ip", "neigh", "replace", testbed.externalAddress(), "lladdr", gwTunnelMac, "dev", "vx0", "nud", "permanent");
    }

    /** A few datagrams from the pod's address to the external host through vx0. */
    private void send(String podIp, String text) throws Exception {
        NetnsThread.call(spoofNs, Duration.ofSeconds(5), () -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(podIp), 0))) {
                byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 5; i++) {
                    s.send(new DatagramPacket(b, b.length, InetAddress.getByName(testbed.externalAddress()), PORT));
                }
            }
            return null;
        });
    }

    /** tcpdump on the external host for udp port PORT, payload in ASCII; returns once capturing. */
    private ManagedProcess capture() {
        ManagedProcess p = testbed.startProcessIn(testbed.externalNetns(), "capture-" + System.nanoTime() % 100000,
                List.of("tcpdump", "-i", "eth0", "-n", "-l", "-A", "--immediate-mode", "udp", "port", String.valueOf(PORT)),
                Map.of());
        Waits.until("tcpdump to capture on the external host", DEADLINE, () -> p.logTail(50).contains("listening on"));
        return p;
    }

    private static final java.util.function.Predicate<String> GUARD = r -> r.contains("egress-peers-v4") && r.endsWith("-j DROP");
    private static final java.util.function.Predicate<String> UNKNOWN_MAC = r -> r.contains("-i egress-vxlan-v+")
            && r.contains("--ctdir ORIGINAL") && !r.contains("ctstate") && !r.contains("--mark") && r.endsWith("-j DROP");
    private static final Pattern COUNT = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s");

    /** The packet counter of the rule of {@code table chain} on {@code node} whose text {@code rule} picks. */
    private long counter(String node, String table, String chain, java.util.function.Predicate<String> rule) {
        String out = onNode(node, iptables(), "-w", "-t", table, "-L", chain, "-v", "-x", "-n");
        String rules = onNode(node, iptables(), "-w", "-t", table, "-S", chain);
        // -S gives the rule's text; -L its counter, in the same order (after the policy line of -S).
        List<String> spec = rules.lines().filter(l -> l.startsWith("-A ")).toList();
        List<String> counts = out.lines().skip(2).toList();
        for (int i = 0; i < spec.size(); i++) {
            if (rule.test(spec.get(i).strip())) {
                Matcher m = COUNT.matcher(counts.get(i));
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        throw new AssertionError("no such rule in " + table + " " + chain + " of " + node + ":\n"
                + rules);
    }
}
