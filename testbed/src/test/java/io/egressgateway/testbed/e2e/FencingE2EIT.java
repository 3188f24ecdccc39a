package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.ApiProxy;
import io.egressgateway.testbed.cluster.Waits;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Fencing: the gateway carrying the EIP loses the API server (its agent only; the node, its link and
 * the rest of the cluster are fine). Its agent stops answering ARP for the EIP before the controller
 * moves the EIP to the other gateway, so at no sampled moment do both gateways answer for it; traffic
 * resumes through the other gateway with the same EIP, and when the cut agent reaches the API server
 * again it does not take the EIP back.
 */

class FencingE2EIT extends E2ESupport {
    private String eip;

    /** The default 5 s eviction: fencing at 3 s is the subject (E2ESupport otherwise raises it to 60 s). */
    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    void setUp() {
        createExampleGateway();
        resources.create(ProjectPaths.find("deploy/examples/policy.yaml"));
        eip = awaitPolicyStatus("shop", "eip", "ipv4");
    }

    /** Whether {@code node} answers ARP for the EIP: its proxy neighbour entry (docs/linux-adapter.md). */
    private boolean answers(String node) {
        return testbed.tryExec(testbed.nodeNetns(node), List.of("ip", "-4", "neigh", "show", "proxy")).stdout()
                .lines().anyMatch(l -> l.startsWith(eip + " "));
    }

    /** The renewTime of {@code node}'s heartbeat Lease (api.md, Liveness). */
    private Object renewTime(String node) {
        Lease lease = testbed.client().leases().inNamespace("egressgateway").withName("egress-node-" + node).get();
        return lease == null ? null : lease.getSpec().getRenewTime();
    }

    @Test
    void aGatewayCutOffTheApiServerStopsAnsweringBeforeAnotherStarts() throws Exception {
        eventuallySeen("shop-1", eip);
        String active = awaitPolicyStatus("shop", "node");
        String other = active.equals("node2") ? "node3" : "node2";
        ApiProxy proxy = cluster.restartAgentBehindProxy(active);
        Object before = renewTime(active);
        Waits.until("the restarted agent of " + active + " to renew its Lease through the proxy", DEADLINE,
                () -> proxy.accepted() > 0 && !Objects.equals(before, renewTime(active)) && answers(active));

        List<String> overlaps = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                boolean a = answers(active);
                boolean o = answers(other);
                if (a && o) {
                    overlaps.add(System.currentTimeMillis() + ": both " + active + " and " + other + " answer " + eip);
                }
            }
        }, "arp-sampler");
        sampler.start();
        try {
            long cut = System.nanoTime();
            proxy.cut();
            Waits.until(active + " to stop answering for " + eip, DEADLINE, () -> !answers(active));
            long fencedMs = (System.nanoTime() - cut) / 1_000_000;
            Waits.until("the EIP to move to " + other, DEADLINE, () -> other.equals(awaitPolicyStatus("shop", "node")));
            eventuallySeen("shop-1", eip);
            long resumedMs = (System.nanoTime() - cut) / 1_000_000;
            System.out.println("BENCHMARK e2e.fencing.fenced_ms=" + fencedMs + " e2e.fencing.traffic_resumed_ms=" + resumedMs);
            assertThat(answers(other)).as("%s answers for %s", other, eip).isTrue();

            proxy.restore();
            Waits.until(active + "'s agent to reach the API server again", DEADLINE, () -> proxy.accepted() > 1);
            eventuallySeen("shop-1", eip);
            assertThat(awaitPolicyStatus("shop", "node")).as("a healthy node is never displaced").isEqualTo(other);
            assertThat(answers(active)).as("%s does not take %s back", active, eip).isFalse();
        } finally {
            sampling.set(false);
            sampler.join(10_000);
        }
        assertThat(overlaps).as("moments at which two gateways answered ARP for one EIP").isEmpty();
    }
}
