package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * forwardMethod active-active: a policy in mode NodeIP is spread over both gateways by equal-cost
 * multipath, so flows from many source ports leave from both gateway nodes' addresses.
 */
class ActiveActiveE2EIT extends E2ESupport {
    private static final String POLICY = String.join("\n",
            "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGatewayPolicy", "metadata: {name: spread}",
            "spec:", "  egressGatewayName: default", "  appliedTo:", "    podSelector: {matchLabels: {app: spread}}",
            "  destCIDR: [192.0.2.100/32]", "  egressIP: {mode: NodeIP}");

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("spread-1", 1, Map.of("app", "spread")).build();
    }

    @Override
    Map<String, String> settings() {
        return Map.of("EGW_FORWARDMETHOD", "active-active", "EGW_HEARTBEAT_EVICTIONTIMEOUT", "60s");
    }

    @Override
    void setUp() {
        createExampleGateway();
        resources.create(POLICY);
        Waits.until("policy spread placed on both gateways", DEADLINE, () ->
                Resources.status(resources.get("EgressGatewayPolicy", "spread"), "nodes") instanceof List<?> l
                        && l.size() == 2);
    }

    @Test
    void flowsSpreadOverBothGateways() {
        Set<String> gateways = Set.of(testbed.nodeAddress("node2"), testbed.nodeAddress("node3"));
        // The policy's status is written before every agent has programmed it: wait for the first steered flow.
        Waits.until("a first flow through a gateway", DEADLINE, () -> gateways.contains(request()));
        Set<String> seen = new TreeSet<>();
        Waits.until("new connections to leave from both gateways " + gateways + " (seen so far: " + seen + ")",
                DEADLINE, () -> {
                    seen.add(request());
                    return seen.containsAll(gateways);
                });
        assertThat(seen).as("every flow leaves from a gateway node").isSubsetOf(gateways);
    }

    private String request() throws Exception {
        return testbed.pod("spread-1").request(testbed.externalAddress(), testbed.echoPort(), Duration.ofSeconds(2))
                .address();
    }
}
