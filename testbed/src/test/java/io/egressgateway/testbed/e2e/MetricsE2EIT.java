package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.bench.BulkSink;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Traffic per policy and EIP from the kernel's counters, read through the agents' {@code /metrics}
 * (issue 19, docs/traffic-metrics.md). A selected pod on worker node1 sends exactly 1,000,000 bytes
 * over TCP to the external host through the gateway: the carrying gateway's
 * {@code egressgateway_policy_egress_bytes_total{policy,eip,gateway}} and node1's
 * {@code egressgateway_policy_steered_bytes_total{policy}} grow by that payload plus the IP and TCP
 * headers of the packets they counted (between 40 and 80 bytes a packet, IPv4: 20 + 20..60). A pod
 * on the same node that no policy selects sends too and adds nothing to either. A rewrite of the
 * counting chain (drift, repaired by the next pass) leaves the counters where they were, and the
 * next transfer is counted as exactly. Deleting the policy removes its series and its kernel
 * objects from every node.
 */
class MetricsE2EIT extends E2ESupport {
    private static final int SINK_PORT = 9401;
    private static final long PAYLOAD = 1_000_000;
    /** IPv4 header (20, no options) plus TCP header (20, up to 60 with options). */
    private static final long MIN_HEADERS = 40;
    private static final long MAX_HEADERS = 80;

    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other")).build();
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(super.settings());
        s.put("EGW_AGENT_RESYNCINTERVAL", "2s");
        return s;
    }

    @Override
    EgressCluster.Launch launch() {
        EgressCluster.Launch t = EgressCluster.Launch.testing();
        return new EgressCluster.Launch(t.controllerJvm(), t.agentJvm(), true);
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void theGatewayAndTheSourceNodeCountTheBytesASelectedPodSent() throws Exception {
        eventuallySeen("shop-1", eip);
        String gateway = awaitPolicyStatus("shop", "node");
        Map<String, String> egress = Map.of("policy", "shop", "eip", eip, "gateway", gateway);
        Map<String, String> steered = Map.of("policy", "shop");
        Waits.until("the traffic series on " + gateway + " and node1", DEADLINE, () ->
                scrape(gateway).has("egressgateway_policy_egress_bytes_total", egress)
                        && scrape("node1").has("egressgateway_policy_steered_bytes_total", steered));

        try (BulkSink sink = BulkSink.start(testbed.externalNetns(), SINK_PORT)) {
            Counts gwBefore = counts(gateway, "egress", egress);
            Counts srcBefore = counts("node1", "steered", steered);
            String seen = send("shop-1", sink.port(), PAYLOAD);
            assertThat(seen).as("source address the external host saw").isEqualTo(eip);
            Counts gw = counts(gateway, "egress", egress).minus(gwBefore);
            Counts src = counts("node1", "steered", steered).minus(srcBefore);
            System.out.println("MetricsE2EIT: " + PAYLOAD + " payload bytes counted on " + gateway + " as " + gw
                    + ", on node1 as " + src);
            assertWithinHeaders("egress counter on " + gateway, gw);
            assertWithinHeaders("steered counter on node1", src);

            // the counting chain rewritten (drift): the kernel objects and so the metric keep their counts
            Counts kept = counts(gateway, "egress", egress);
            onNode(gateway, iptables(), "-w", "-t", "mangle", "-F", "EGRESSGATEWAY-COUNT");
            Waits.until("the agent on " + gateway + " to restore its counting rules", DEADLINE,
                    () -> iptablesSave(gateway).contains("--ctrepldst " + eip));
            assertThat(counts(gateway, "egress", egress)).as("egress counter after the chain's repair").isEqualTo(kept);
            assertThat(send("shop-1", sink.port(), PAYLOAD)).isEqualTo(eip);
            assertWithinHeaders("egress counter on " + gateway + " after the repair",
                    counts(gateway, "egress", egress).minus(kept));

            // a pod no policy selects, on the same node: it leaves with the node's address and counts nowhere
            Counts gwIdle = counts(gateway, "egress", egress);
            Counts srcIdle = counts("node1", "steered", steered);
            assertThat(send("other-1", sink.port(), PAYLOAD / 4)).isEqualTo(testbed.nodeAddress("node1"));
            assertThat(counts(gateway, "egress", egress)).as("egress counter after the unselected pod sent")
                    .isEqualTo(gwIdle);
            assertThat(counts("node1", "steered", steered)).as("steered counter after the unselected pod sent")
                    .isEqualTo(srcIdle);
        }

        resources.delete("EgressGatewayPolicy", "shop");
        for (String node : testbed.nodeNames()) {
            Waits.until("the policy's counters to be gone from " + node, DEADLINE, () -> {
                List<String> left = KernelCounters.names(testbed.nodeNetns(node), "egw-");
                if (!left.isEmpty()) {
                    throw new IllegalArgumentException("nfacct objects left: " + left);
                }
                return !scrape(node).has("egressgateway_policy_egress_bytes_total", egress)
                        && !scrape(node).has("egressgateway_policy_steered_bytes_total", steered);
            });
        }
    }

    private static void assertWithinHeaders(String what, Counts c) {
        assertThat(c.packets()).as("%s: packets", what).isPositive();
        assertThat(c.bytes()).as("%s: bytes of %d packets carrying %d payload bytes", what, c.packets(), PAYLOAD)
                .isBetween(PAYLOAD + MIN_HEADERS * c.packets(), PAYLOAD + MAX_HEADERS * c.packets());
    }

    /** Sends {@code bytes} from {@code pod} to the sink, half-closes, and returns the address the sink saw. */
    private String send(String pod, int port, long bytes) throws Exception {
        String host = testbed.externalAddress();
        return NetnsThread.call(testbed.pod(pod).netns(), Duration.ofSeconds(60), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                long left = bytes;
                while (left > 0) {
                    int n = (int) Math.min(chunk.length, left);
                    out.write(chunk, 0, n);
                    left -= n;
                }
                s.shutdownOutput();
                s.setSoTimeout(30_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(line).as("the sink's count").isNotNull();
                String[] f = line.trim().split(" ");
                assertThat(Long.parseLong(f[0])).as("bytes the sink received from %s", pod).isEqualTo(bytes);
                return f[1];
            }
        });
    }

    /**
     * Packets and bytes of one series once two scrapes in a row agree: the connection's last packets
     * (the client's closing ACK and FIN) may still be on their way when the sender returns.
     */
    private Counts counts(String node, String kind, Map<String, String> labels) {
        Counts[] last = {null};
        Waits.until(kind + " counter on " + node + " to settle", DEADLINE, Duration.ofMillis(300), () -> {
            PromSamples p = scrape(node);
            Counts now = new Counts(p.value("egressgateway_policy_" + kind + "_packets_total", labels),
                    p.value("egressgateway_policy_" + kind + "_bytes_total", labels));
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
        return last[0];
    }

    private PromSamples scrape(String node) throws Exception {
        int port = cluster.agentMetricsPort(node);
        return PromSamples.scrape("http://127.0.0.1:" + port + "/metrics");
    }

    record Counts(long packets, long bytes) {
        Counts minus(Counts o) {
            return new Counts(packets - o.packets, bytes - o.bytes);
        }
    }
}
