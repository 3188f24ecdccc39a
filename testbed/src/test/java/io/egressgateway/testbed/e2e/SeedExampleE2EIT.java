package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.echo.EchoReply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's example on the testbed, mode EgressIP, active-passive: three nodes (node2 and node3
 * gateways), the real controller and agents; what the external host sees proves the datapath.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class SeedExampleE2EIT implements DumpOnFailure.HasCluster {
    private Testbed testbed;
    private EgressCluster cluster;
    private Resources resources;
    private String eip;

    @BeforeAll
    void start() {
        Root.assumeRoot();
        testbed = Testbed.build(TestbedOptions.builder()
                .pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("shop-gw", 2, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other"))
                .build());
        try {
            cluster = EgressCluster.start(testbed, Map.of("EGW_AGENT_RESYNCINTERVAL", "2s"));
            resources = new Resources(testbed.client());
            applyExample();
        } catch (RuntimeException | Error e) {
            DumpOnFailure.dump("start", e, testbed, cluster);
            throw e;
        }
    }

    private void applyExample() {
        resources.create(ProjectPaths.find("deploy/examples/gateway.yaml"));
        resources.awaitGatewayElected("default");
        resources.create(ProjectPaths.find("deploy/examples/policy.yaml"));
        Waits.until("policy shop to get an EIP", Duration.ofSeconds(60),
                () -> Resources.status(resources.get("EgressGatewayPolicy", "shop"), "eip", "ipv4") != null);
        eip = (String) Resources.status(resources.get("EgressGatewayPolicy", "shop"), "eip", "ipv4");
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

    private String seenFrom(String pod, String host) {
        EchoReply[] last = new EchoReply[1];
        Waits.until(pod + " to reach " + host, Duration.ofSeconds(30), () -> {
            last[0] = testbed.pod(pod).request(host, testbed.echoPort(), Duration.ofSeconds(2));
            return true;
        });
        return last[0].address();
    }

    private void eventuallySeen(String pod, String host, String expected) {
        String[] seen = new String[1];
        Waits.until(pod + " -> " + host + " seen from " + expected + " (last seen: " + seen[0] + ")",
                Duration.ofSeconds(60), () -> {
                    seen[0] = seenFrom(pod, host);
                    return expected.equals(seen[0]);
                });
    }

    @Test
    void thePolicyGetsTheGatewaysDefaultEip() {
        assertThat(eip).isEqualTo("192.0.2.200");
    }

    @Test
    void aSelectedPodOnANonGatewayNodeLeavesWithTheEip() {
        eventuallySeen("shop-1", testbed.externalAddress(), eip);
    }

    @Test
    void aSelectedPodOnAGatewayNodeLeavesWithTheEip() {
        eventuallySeen("shop-gw", testbed.externalAddress(), eip);
    }

    @Test
    void anUnselectedPodKeepsItsNormalPath() {
        eventuallySeen("shop-1", testbed.externalAddress(), eip);
        assertThat(seenFrom("other-1", testbed.externalAddress())).isEqualTo(testbed.nodeAddress("node1"));
    }

    @Test
    void aDestinationOutsideDestCidrIsNotSteered() {
        eventuallySeen("shop-1", testbed.externalAddress(), eip);
        assertThat(seenFrom("shop-1", testbed.externalExtraAddress())).isEqualTo(testbed.nodeAddress("node1"));
    }
}
