package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dual stack: one policy, an IPv4 and an IPv6 EIP on the same gateway; each family leaves with its own. */
class DualStackE2EIT extends E2ESupport {
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
    void setUp() {
        resources.create(GATEWAY);
        resources.awaitGatewayElected("default");
        resources.create(POLICY);
        awaitPolicyStatus("shop", "eip", "ipv6");
    }

    private void eventuallySeenAt(String host, String expected) {
        String[] seen = new String[1];
        Waits.until("shop-1 -> " + host + " seen from " + expected + " (last: " + seen[0] + ")", DEADLINE, () -> {
            seen[0] = testbed.pod("shop-1").request(host, testbed.echoPort(), Duration.ofSeconds(2)).address();
            return expected.equals(seen[0]);
        });
    }

    @Test
    void eachFamilyLeavesWithItsOwnEip() {
        eventuallySeenAt(testbed.externalAddress(), awaitPolicyStatus("shop", "eip", "ipv4"));
        eventuallySeenAt(testbed.externalAddressV6(), awaitPolicyStatus("shop", "eip", "ipv6"));
    }
}
