package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.Kubectl;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads after a failover, on the real API server: the controller's
 * {@code egressgateway_controller_failovers_total} has grown by exactly one, with cause
 * {@code heartbeat_lost}, when the active gateway's agent dies (SIGKILL, so its Lease simply stops
 * being renewed) and stays so over further passes; the per-gateway gauges follow; and
 * {@code kubectl describe egressgatewaypolicy} shows the policy's EIPAssigned and EIPMoved Events.
 */
class ControllerMetricsE2EIT extends ShopPolicyE2E {
    private static final String FAILOVERS = "egressgateway_controller_failovers_total";

    /** The default 5 s eviction: the failover is the subject. */
    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    private PromSamples scrape() {
        return PromSamples.parse(cluster.controllerMetrics());
    }

    @Test
    void aFailoverIsCountedOnceWithItsCauseAndDescribeShowsTheEvents() throws Exception {
        eventuallySeen("shop-1", eip);
        String active = awaitPolicyStatus("shop", "node");
        String other = active.equals("node2") ? "node3" : "node2";
        Waits.until("the controller to report both gateway nodes Ready", DEADLINE, () -> scrape().sum("egressgateway_gateway_nodes_ready", Map.of("gateway", "default")) == 2);
        PromSamples before = scrape();
        assertThat(before.sum("egressgateway_controller_leader", Map.of())).isEqualTo(1);
        assertThat(before.sum("egressgateway_policy_eip_assigned", Map.of("policy", "shop", "family", "ipv4")))
                .isEqualTo(1);
        double all = before.sum(FAILOVERS, Map.of());
        double lost = before.sum(FAILOVERS, Map.of("gateway", "default", "cause", "heartbeat_lost"));

        cluster.killAgent(active);
        Waits.until("the EIP to move to " + other, DEADLINE, () -> other.equals(awaitPolicyStatus("shop", "node")));
        Waits.until("the failover to be counted", DEADLINE, () -> scrape().sum(FAILOVERS, Map.of()) > all);
        double passes = scrape().sum("egressgateway_controller_reconcile_passes_total", Map.of());
        Waits.until("ten more reconcile passes", DEADLINE, () ->
                scrape().sum("egressgateway_controller_reconcile_passes_total", Map.of()) >= passes + 10);

        PromSamples after = scrape();
        assertThat(after.sum(FAILOVERS, Map.of("gateway", "default", "cause", "heartbeat_lost")))
                .as("failovers with cause heartbeat_lost").isEqualTo(lost + 1);
        assertThat(after.sum(FAILOVERS, Map.of())).as("failovers of any cause").isEqualTo(all + 1);
        assertThat(after.sum("egressgateway_gateway_nodes_ready", Map.of("gateway", "default"))).isEqualTo(1);
        assertThat(after.sum("egressgateway_policy_gateway_ready", Map.of("policy", "shop"))).isEqualTo(1);

        Kubectl kubectl = Kubectl.admin(testbed, Files.createDirectories(testbed.runDir().resolve("metrics-kubectl-cache")));
        String[] shown = new String[1];
        Waits.until("kubectl describe to show the policy's EIPAssigned and EIPMoved Events", DEADLINE, () -> {
            ProcessRunner.Result r = kubectl.run("describe", "egressgatewaypolicy", "shop");
            shown[0] = r.stdout() + r.stderr();
            return r.exitCode() == 0 && shown[0].contains("EIPAssigned") && shown[0].contains("EIPMoved");
        });
        assertThat(shown[0]).contains("EIP " + eip + " of gateway default assigned to node " + active)
                .contains("EIP " + eip + " moved from " + active + " to " + other);
    }
}
