package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dual stack: one policy, an IPv4 and an IPv6 EIP on the same gateway; each family leaves with its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class DualStackE2EIT implements DumpOnFailure.HasCluster {
    private static final String GATEWAY = String.join("\n",
            "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGateway", "metadata: {name: default}",
            "spec:", "  nodeSelector: {matchLabels: {egress: \"true\"}}", "  clusterDefault: true",
            "  ippools:", "    ipv4: [192.0.2.200-192.0.2.210]", "    ipv6: [2001:db8:1::200-2001:db8:1::210]");
    private static final String POLICY = String.join("\n",
            "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGatewayPolicy", "metadata: {name: shop}",
            "spec:", "  appliedTo:", "    podSelector: {matchLabels: {app: shopping}}",
            "  destCIDR: [192.0.2.100/32, \"2001:db8:1::100/128\"]");
    private Testbed testbed;
    private EgressCluster cluster;
    private Resources resources;

    @BeforeAll
    void start() {
        Root.assumeRoot();
        testbed = Testbed.build(TestbedOptions.builder().dualStack(true)
                .pod("shop-1", 1, Map.of("app", "shopping")).build());
        try {
            cluster = EgressCluster.start(testbed, Map.of());
            resources = new Resources(testbed.client());
            resources.create(GATEWAY);
            resources.awaitGatewayElected("default");
            resources.create(POLICY);
            Waits.until("policy shop to get both EIPs", Duration.ofSeconds(90), () ->
                    Resources.status(resources.get("EgressGatewayPolicy", "shop"), "eip", "ipv6") != null);
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

    private void eventuallySeen(String host, String expected) {
        String[] seen = new String[1];
        Waits.until("shop-1 -> " + host + " seen from " + expected + " (last: " + seen[0] + ")", Duration.ofSeconds(90),
                () -> {
                    seen[0] = testbed.pod("shop-1").request(host, testbed.echoPort(), Duration.ofSeconds(2)).address();
                    return expected.equals(seen[0]);
                });
    }

    @Test
    void eachFamilyLeavesWithItsOwnEip() {
        String v4 = (String) Resources.status(resources.get("EgressGatewayPolicy", "shop"), "eip", "ipv4");
        String v6 = (String) Resources.status(resources.get("EgressGatewayPolicy", "shop"), "eip", "ipv6");
        eventuallySeen(testbed.externalAddress(), v4);
        eventuallySeen(testbed.externalAddressV6(), v6);
    }
}
