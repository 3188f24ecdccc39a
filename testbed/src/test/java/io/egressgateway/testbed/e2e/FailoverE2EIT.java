package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Waits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failover (active-passive, default heartbeat settings): the gateway node carrying the EIP loses its
 * agent and its underlay link; traffic resumes through the other gateway node with the same EIP.
 * The outage is measured and printed as a benchmark line, never asserted.
 */
class FailoverE2EIT extends E2ESupport {
    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void trafficResumesThroughTheOtherGatewayWithTheSameEip() {
        eventuallySeen("shop-1", eip);
        String active = awaitPolicyStatus("shop", "node");
        String other = active.equals("node2") ? "node3" : "node2";

        cluster.killAgent(active); // a lost node's agent gets no SIGTERM (which would say "restarting")
        long cut = System.nanoTime();
        testbed.setUnderlayLink(active, false);
        String[] seen = new String[1];
        Waits.until("shop-1 to leave with " + eip + " again after " + active + " failed", DEADLINE, () -> {
            seen[0] = testbed.pod("shop-1").request(testbed.externalAddress(), testbed.echoPort(),
                    Duration.ofSeconds(1)).address();
            return eip.equals(seen[0]);
        });
        long outageMs = (System.nanoTime() - cut) / 1_000_000;
        System.out.println("BENCHMARK e2e.failover.outage_ms=" + outageMs + " (agent killed and link cut on " + active
                + "; first request seen from the EIP again through " + other + ")");

        assertThat(awaitPolicyStatus("shop", "node")).as("the node carrying policy shop after the failover")
                .isEqualTo(other);
        assertThat(awaitPolicyStatus("shop", "eip", "ipv4")).isEqualTo(eip);
        // Only the surviving gateway can have answered: the failed one is cut off the underlay.
        String conntrack = onNode(other, "conntrack", "-L", "-s", testbed.pod("shop-1").ipv4(), "-d",
                testbed.externalAddress());
        assertThat(conntrack).as("conntrack of %s", other).contains("dst=" + eip);
    }
}
