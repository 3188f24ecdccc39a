package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.bench.BulkSink;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.e2e.TrafficProbe.Counts;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * next transfer is counted as exactly. The controller's, the gateway's and node1's scrapes export
 * every metric the alerts and the dashboard use (bin/check-metric-names). Deleting the policy removes
 * its series and its kernel objects from every node.
 */
class MetricsE2EIT extends E2ESupport {
    static final int SINK_PORT = 9401;
    static final long PAYLOAD = 1_000_000;
    /** IPv4 header (20, no options) plus TCP header (20, up to 60 with options). */
    private static final long MIN_HEADERS = 40;
    private static final long MAX_HEADERS = 80;

    private String eip;
    private TrafficProbe probe;

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

    /** The agents' metrics listeners on, as the DaemonSet has them. */
    @Override
    EgressCluster.Launch launch() {
        EgressCluster.Launch t = EgressCluster.Launch.testing();
        return new EgressCluster.Launch(t.controllerJvm(), t.agentJvm(), true);
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
        probe = new TrafficProbe(testbed, cluster);
    }

    @Test
    void theGatewayAndTheSourceNodeCountTheBytesASelectedPodSent() throws Exception {
        eventuallySeen("shop-1", eip);
        String gateway = awaitPolicyStatus("shop", "node");
        Map<String, String> egress = Map.of("policy", "shop", "eip", eip, "gateway", gateway);
        Map<String, String> steered = Map.of("policy", "shop");
        Waits.until("the traffic series on " + gateway + " and node1", DEADLINE, () ->
                probe.scrape(gateway).has("egressgateway_policy_egress_bytes_total", egress)
                        && probe.scrape("node1").has("egressgateway_policy_steered_bytes_total", steered));
        String external = testbed.externalAddress();

        try (BulkSink sink = BulkSink.start(testbed.externalNetns(), SINK_PORT)) {
            Counts gwBefore = counts(gateway, "egress", egress);
            Counts srcBefore = counts("node1", "steered", steered);
            assertThat(probe.send("shop-1", external, sink.port(), PAYLOAD)).as("source the external host saw").isEqualTo(eip);
            Counts gw = counts(gateway, "egress", egress).minus(gwBefore);
            Counts src = counts("node1", "steered", steered).minus(srcBefore);
            System.out.println("MetricsE2EIT: " + PAYLOAD + " payload bytes counted on " + gateway + " as " + gw
                    + ", on node1 as " + src);
            TrafficProbe.assertWithinHeaders("egress counter on " + gateway, gw, PAYLOAD, MIN_HEADERS, MAX_HEADERS);
            TrafficProbe.assertWithinHeaders("steered counter on node1", src, PAYLOAD, MIN_HEADERS, MAX_HEADERS);

            // the counting chain rewritten (drift): the kernel objects and so the metric keep their counts
            Counts kept = counts(gateway, "egress", egress);
            onNode(gateway, iptables(), "-w", "-t", "mangle", "-F", "EGRESSGATEWAY-COUNT");
            Waits.until("the agent on " + gateway + " to restore its counting rules", DEADLINE,
                    () -> iptablesSave(gateway).contains("--ctrepldst " + eip));
            assertThat(counts(gateway, "egress", egress)).as("egress counter after the chain's repair").isEqualTo(kept);
            assertThat(probe.send("shop-1", external, sink.port(), PAYLOAD)).isEqualTo(eip);
            TrafficProbe.assertWithinHeaders("egress counter on " + gateway + " after the repair",
                    counts(gateway, "egress", egress).minus(kept), PAYLOAD, MIN_HEADERS, MAX_HEADERS);

            // a pod no policy selects, on the same node: it leaves with the node's address and counts nowhere
            Counts gwIdle = counts(gateway, "egress", egress);
            Counts srcIdle = counts("node1", "steered", steered);
            assertThat(probe.send("other-1", external, sink.port(), PAYLOAD / 4)).isEqualTo(testbed.nodeAddress("node1"));
            assertThat(counts(gateway, "egress", egress)).as("egress counter after the unselected pod sent")
                    .isEqualTo(gwIdle);
            assertThat(counts("node1", "steered", steered)).as("steered counter after the unselected pod sent")
                    .isEqualTo(srcIdle);
        }

        assertExportsTheMonitoringContract(gateway);

        resources.delete("EgressGatewayPolicy", "shop");
        for (String node : testbed.nodeNames()) {
            Waits.until("the policy's counters to be gone from " + node, DEADLINE, () -> {
                List<String> left = KernelCounters.names(testbed.nodeNetns(node), "egw-");
                if (!left.isEmpty()) {
                    throw new IllegalArgumentException("nfacct objects left: " + left);
                }
                return !probe.scrape(node).has("egressgateway_policy_egress_bytes_total", egress)
                        && !probe.scrape(node).has("egressgateway_policy_steered_bytes_total", steered);
            });
        }
    }

    /**
     * bin/check-metric-names over the real scrapes of the controller, the gateway that counted traffic and
     * the source node: every metric the alerts and the dashboard use (deploy/monitoring/metric-names.txt)
     * is exported with its type and labels, so no alert is silent for a renamed metric.
     */
    private void assertExportsTheMonitoringContract(String gateway) throws Exception {
        Path dir = Files.createTempDirectory("egw-metric-names");
        try {
            List<String> argv = new ArrayList<>(List.of(ProjectPaths.find("bin/check-metric-names").toString()));
            Map<String, String> scrapes = new LinkedHashMap<>();
            scrapes.put("controller", cluster.controllerMetrics());
            scrapes.put(gateway, probe.text(gateway));
            scrapes.put("node1", probe.text("node1"));
            for (Map.Entry<String, String> e : scrapes.entrySet()) {
                argv.add(Files.writeString(dir.resolve(e.getKey() + ".txt"), e.getValue()).toString());
            }
            ProcessRunner.Result r = ProcessRunner.tryRun(argv, Duration.ofSeconds(30));
            assertThat(r.exitCode()).as("bin/check-metric-names over %s:%n%s%s", scrapes.keySet(), r.stdout(), r.stderr())
                    .isZero();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private Counts counts(String node, String kind, Map<String, String> labels) {
        return probe.counts(node, kind, labels, DEADLINE);
    }
}
