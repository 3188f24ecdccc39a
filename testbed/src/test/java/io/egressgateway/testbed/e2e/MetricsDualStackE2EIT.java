package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.bench.BulkSink;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.e2e.TrafficProbe.Counts;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The traffic counters over IPv6 (docs/traffic-metrics.md): a dual-stack policy has an egress series
 * per EIP on its gateway and one steered series on the source node for both families. 1,000,000
 * bytes sent over IPv6 grow the IPv6 EIP's series and the steered series by the payload plus 60..100
 * bytes a counted packet (IPv6 40 + TCP 20..60); the IPv4 EIP's series does not move.
 */
class MetricsDualStackE2EIT extends E2ESupport {
    private static final long MIN_HEADERS = 60;
    private static final long MAX_HEADERS = 100;
    private static final String GATEWAY = String.join("\n",
            "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGateway", "metadata: {name: default}",
            "spec:", "  nodeSelector: {matchLabels: {egress: \"true\"}}", "  clusterDefault: true",
            "  ippools:", "    ipv4: [192.0.2.200-192.0.2.210]", "    ipv6: [2001:db8:1::200-2001:db8:1::210]");
    private static final String POLICY = String.join("\n",
            "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGatewayPolicy", "metadata: {name: shop}",
            "spec:", "  appliedTo:", "    podSelector: {matchLabels: {app: shopping}}",
            "  destCIDR: [192.0.2.100/32, \"2001:db8:1::100/128\"]");

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().dualStack(true).pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    EgressCluster.Launch launch() {
        EgressCluster.Launch t = EgressCluster.Launch.testing();
        return new EgressCluster.Launch(t.controllerJvm(), t.agentJvm(), true);
    }

    @Override
    void setUp() {
        resources.create(GATEWAY);
        resources.awaitGatewayElected("default");
        resources.create(POLICY);
    }

    @Test
    void bytesSentOverIpv6CountOnTheIpv6EipAndTheSteeredSeries() throws Exception {
        String eip4 = awaitPolicyStatus("shop", "eip", "ipv4");
        String eip6 = awaitPolicyStatus("shop", "eip", "ipv6");
        String gateway = awaitPolicyStatus("shop", "node");
        Map<String, String> egress4 = Map.of("policy", "shop", "eip", eip4, "gateway", gateway);
        Map<String, String> egress6 = Map.of("policy", "shop", "eip", eip6, "gateway", gateway);
        Map<String, String> steered = Map.of("policy", "shop");
        TrafficProbe probe = new TrafficProbe(testbed, cluster);
        Waits.until("the traffic series on " + gateway + " and node1", DEADLINE, () ->
                probe.scrape(gateway).has("egressgateway_policy_egress_bytes_total", egress4)
                        && probe.scrape(gateway).has("egressgateway_policy_egress_bytes_total", egress6)
                        && probe.scrape("node1").has("egressgateway_policy_steered_bytes_total", steered));

        try (BulkSink sink = BulkSink.start(testbed.externalNetns(), MetricsE2EIT.SINK_PORT)) {
            String host = testbed.externalAddressV6();
            Waits.until("shop-1 to leave with " + eip6, DEADLINE, () ->
                    InetAddress.getByName(probe.send("shop-1", host, sink.port(), 1)).equals(InetAddress.getByName(eip6)));
            Counts v4Before = probe.counts(gateway, "egress", egress4, DEADLINE);
            Counts v6Before = probe.counts(gateway, "egress", egress6, DEADLINE);
            Counts srcBefore = probe.counts("node1", "steered", steered, DEADLINE);
            String seen = probe.send("shop-1", host, sink.port(), MetricsE2EIT.PAYLOAD);
            assertThat(InetAddress.getByName(seen)).as("source the external host saw").isEqualTo(InetAddress.getByName(eip6));
            Counts v6 = probe.counts(gateway, "egress", egress6, DEADLINE).minus(v6Before);
            Counts src = probe.counts("node1", "steered", steered, DEADLINE).minus(srcBefore);
            System.out.println("MetricsDualStackE2EIT: " + MetricsE2EIT.PAYLOAD + " payload bytes over IPv6 counted on "
                    + gateway + " as " + v6 + ", on node1 as " + src);
            TrafficProbe.assertWithinHeaders("IPv6 egress counter on " + gateway, v6, MetricsE2EIT.PAYLOAD, MIN_HEADERS,
                    MAX_HEADERS);
            TrafficProbe.assertWithinHeaders("steered counter on node1", src, MetricsE2EIT.PAYLOAD, MIN_HEADERS, MAX_HEADERS);
            assertThat(probe.counts(gateway, "egress", egress4, DEADLINE)).as("the IPv4 EIP's series").isEqualTo(v4Before);
        }
    }
}
