package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every agent watches stays small (issue 18): a podSubnet policy works without any
 * EgressEndpointSlice (its agents steer the subnet as it is) and still counts its pods, and the
 * nodes' interfaces in the EgressNodes and in the gateway's node list are the underlay only, never
 * the pods' veths (the testbed names the node side of a pod's veth {@code veth<k>}).
 */
class SmallStatusE2EIT extends E2ESupport {

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("sub-1", 1, Map.of("app", "none")).pod("sub-2", 1, Map.of("app", "none"))
                .pod("other-1", 2, Map.of("app", "none")).build();
    }

    @Override
    void setUp() {
        createExampleGateway();
    }

    @Test
    void aPodSubnetPolicyNeedsNoSliceAndStatusesListOnlyTheUnderlay() {
        String a = testbed.pod("sub-1").ipv4();
        String b = testbed.pod("sub-2").ipv4();
        resources.create("""
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata:
                  name: by-subnet
                spec:
                  egressGatewayName: default
                  appliedTo:
                    podSubnet: [%s/32, %s/32]
                  destCIDR:
                  - %s/32
                """.formatted(a, b, testbed.externalAddress()));
        String eip = awaitPolicyStatus("by-subnet", "eip", "ipv4");
        eventuallySeen("sub-1", eip);
        eventuallySeen("sub-2", eip);
        assertThat(seenFrom("other-1", testbed.externalAddress())).as("a pod outside the subnets")
                .isNotEqualTo(eip);
        Waits.until("policy by-subnet to count its 2 pods", DEADLINE,
                () -> "2".equals(String.valueOf(Resources.status(resources.get("EgressGatewayPolicy", "by-subnet"),
                        "endpoints"))));
        assertThat(resources.list("EgressEndpointSlice")).as("slices of a podSubnet policy").isEmpty();

        for (String node : testbed.nodeNames()) {
            var egn = resources.get("EgressNode", node);
            Waits.until("EgressNode " + node + " to report its interfaces", DEADLINE,
                    () -> names(Resources.status(resources.get("EgressNode", node), "interfaces")).size() > 0);
            egn = resources.get("EgressNode", node);
            List<String> names = names(Resources.status(egn, "interfaces"));
            assertThat(names).as("interfaces of %s", node).contains(String.valueOf(Resources.status(egn,
                    "physicalInterface"))).noneMatch(n -> n.startsWith("veth") || n.equals("lo"));
        }
        Object nodeList = Resources.status(resources.get("EgressGateway", "default"), "nodeList");
        assertThat(nodeList).isInstanceOf(List.class);
        for (Object n : (List<?>) nodeList) {
            assertThat(names(((Map<?, ?>) n).get("interfaces"))).as("gateway node %s", n)
                    .noneMatch(i -> i.startsWith("veth"));
        }
    }

    private static List<String> names(Object interfaces) {
        List<String> out = new ArrayList<>();
        if (interfaces instanceof List<?> l) {
            l.forEach(i -> out.add(String.valueOf(((Map<?, ?>) i).get("name"))));
        }
        return out;
    }
}
