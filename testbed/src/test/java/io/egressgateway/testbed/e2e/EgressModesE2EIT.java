package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.TestbedOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Modes NodeIP and None on the example gateway (node2 and node3, active-passive): the external host
 * sees the carrying gateway node's own address, respectively the pod's own address. Mode None needs
 * the network to route the pod CIDRs back (here: routes on the external host).
 */
class EgressModesE2EIT extends E2ESupport {

    /** On legacy iptables (the suite covers both backends, see E2ESupport#backend). */
    @Override
    IptablesBackend backend() {
        return IptablesBackend.LEGACY;
    }

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder()
                .pod("nodeip-1", 1, Map.of("app", "by-node-ip"))
                .pod("nodeip-gw", 2, Map.of("app", "by-node-ip"))
                .pod("nosnat-1", 1, Map.of("app", "no-snat"))
                .pod("plain-1", 1, Map.of("app", "plain"))
                .build();
    }

    @Override
    void setUp() {
        testbed.routePodCidrsFromExternal();
        createExampleGateway();
        resources.create(policyYaml("by-node-ip", "by-node-ip", "NodeIP", 0));
        resources.create(policyYaml("no-snat", "no-snat", "None", 0));
    }

    @Test
    void modeNodeIpLeavesWithTheCarryingGatewayNodesAddress() {
        String node = awaitPolicyStatus("by-node-ip", "node");
        assertThat(testbed.options().gatewayNodes()).contains(Integer.parseInt(node.substring(4)));
        eventuallySeen("nodeip-1", testbed.nodeAddress(node));
    }

    @Test
    void modeNodeIpFromAPodOnAGatewayNodeLeavesWithTheCarryingNodesAddress() {
        String node = awaitPolicyStatus("by-node-ip", "node");
        eventuallySeen("nodeip-gw", testbed.nodeAddress(node));
    }

    @Test
    void modeNodeIpGetsNoEip() {
        awaitPolicyStatus("by-node-ip", "node");
        assertThat(resources.get("EgressGatewayPolicy", "by-node-ip").getAdditionalProperties().get("status"))
                .asString().doesNotContain("192.0.2.2");
    }

    @Test
    void modeNoneKeepsThePodsOwnAddressAndTakesTheGateway() {
        String node = awaitPolicyStatus("no-snat", "node");
        eventuallySeen("nosnat-1", testbed.pod("nosnat-1").ipv4());
        // The pod's own address would also be seen without any steering (the external host routes pod
        // CIDRs): the gateway's conntrack proves the flow went through the carrying gateway node.
        String conntrack = onNode(node, "conntrack", "-L", "-s", testbed.pod("nosnat-1").ipv4(), "-d",
                testbed.externalAddress());
        assertThat(conntrack).as("conntrack of %s", node).contains("dport=" + testbed.echoPort());
    }

    @Test
    void anUnselectedPodStillLeavesWithItsNodesAddress() {
        eventuallySeen("nodeip-1", () -> testbed.nodeAddress(awaitPolicyStatus("by-node-ip", "node")));
        assertThat(seenFrom("plain-1", testbed.externalAddress())).isEqualTo(testbed.nodeAddress("node1"));
    }
}
