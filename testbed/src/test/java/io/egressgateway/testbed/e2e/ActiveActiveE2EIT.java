package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * forwardMethod active-active: a policy in mode NodeIP is spread over both gateways by equal-cost
 * multipath, so flows from many source ports leave from both gateway nodes' addresses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class ActiveActiveE2EIT implements DumpOnFailure.HasCluster {
    private static final String POLICY = String.join("\n",
            "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGatewayPolicy", "metadata: {name: spread}",
            "spec:", "  egressGatewayName: default", "  appliedTo:", "    podSelector: {matchLabels: {app: spread}}",
            "  destCIDR: [192.0.2.100/32]", "  egressIP: {mode: NodeIP}");
    private Testbed testbed;
    private EgressCluster cluster;

    @BeforeAll
    void start() {
        Root.assumeRoot();
        testbed = Testbed.build(TestbedOptions.builder().pod("spread-1", 1, Map.of("app", "spread")).build());
        try {
            cluster = EgressCluster.start(testbed, Map.of("EGW_FORWARDMETHOD", "active-active"));
            Resources resources = new Resources(testbed.client());
            resources.create(ProjectPaths.find("deploy/examples/gateway.yaml"));
            resources.awaitGatewayElected("default");
            resources.create(POLICY);
            Waits.until("policy spread placed on both gateways", Duration.ofSeconds(90), () ->
                    Resources.status(resources.get("EgressGatewayPolicy", "spread"), "nodes") instanceof java.util.List<?> l
                            && l.size() == 2);
        } catch (RuntimeException | Error e) {
            DumpOnFailure.dump("start", e, testbed, cluster);
            throw e;
        }
    }

    @Override
    public EgressCluster cluster() {
        return cluster;
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void flowsSpreadOverBothGateways() {
        Set<String> gateways = Set.of(testbed.nodeAddress("node2"), testbed.nodeAddress("node3"));
        // The policy's status is written before every agent has programmed it: wait for the first steered flow.
        Waits.until("a first flow through a gateway", Duration.ofSeconds(90), () -> gateways.contains(
                testbed.pod("spread-1").request(testbed.externalAddress(), testbed.echoPort(), Duration.ofSeconds(2)).address()));
        Set<String> seen = new TreeSet<>();
        Waits.until("new connections to leave from both gateways " + gateways + " (seen so far: " + seen + ")",
                Duration.ofSeconds(90), () -> {
                    seen.add(testbed.pod("spread-1").request(testbed.externalAddress(), testbed.echoPort(),
                            Duration.ofSeconds(2)).address());
                    return seen.containsAll(gateways);
                });
        assertThat(seen).as("every flow leaves from a gateway node").isSubsetOf(gateways);
    }
}
