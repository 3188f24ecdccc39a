package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.kube.ApiProxy;
import io.egressgateway.testbed.cluster.Waits;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Fencing: the gateway carrying the EIP loses the API server (its agent only; the node, its link and
 * the rest of the cluster are fine). Its agent stops answering ARP for the EIP before the controller
 * moves the EIP to the other gateway, so at no moment do both gateways answer for it: the external
 * host asks who has the EIP every ~50 ms and tcpdump on the underlay records who answers (ARP
 * replies and gratuitous announcements; the agents answer from their own process, so the wire is
 * where answering is seen); traffic
 * resumes through the other gateway with the same EIP, and when the cut agent reaches the API server
 * again it does not take the EIP back.
 */
class FencingE2EIT extends ShopPolicyE2E {
    /** The default 5 s eviction: fencing at 3 s is the subject (E2ESupport otherwise raises it to 60 s). */
    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    /** The renewTime of {@code node}'s heartbeat Lease (api.md, Liveness). */
    private Object renewTime(String node) {
        Lease lease = testbed.client().leases().inNamespace("egressgateway").withName("egress-node-" + node).get();
        return lease == null ? null : lease.getSpec().getRenewTime();
    }

    @Test
    void aGatewayCutOffTheApiServerStopsAnsweringBeforeAnotherStarts() throws Exception {
        // Both gateways' agents go behind proxies: a restart on a busy machine may outlast the 5 s
        // eviction and move the EIP, so which gateway is active is read only once both renew again.
        Map<String, ApiProxy> proxies = new HashMap<>();
        for (String gw : List.of("node2", "node3")) {
            cluster.stopAgent(gw); // first: the old agent may renew once more while it stops
            Object before = renewTime(gw);
            proxies.put(gw, cluster.restartAgentBehindProxy(gw));
            Waits.until("the restarted agent of " + gw + " to renew its Lease through the proxy", DEADLINE,
                    () -> !Objects.equals(before, renewTime(gw)));
        }
        eventuallySeen("shop-1", eip);
        String active = awaitPolicyStatus("shop", "node");
        String other = active.equals("node2") ? "node3" : "node2";
        ApiProxy proxy = proxies.get(active);
        long cutMicros;
        List<String> who;
        try (ArpSampler arp = new ArpSampler(testbed, eip)) {
            // A restart slower than the eviction may have moved the EIP meanwhile: not this test's subject.
            Waits.until("only " + active + " to answer for " + eip, DEADLINE, () -> arp.answering(active)
                    && arp.silent(other) && active.equals(awaitPolicyStatus("shop", "node")));
            cutMicros = System.currentTimeMillis() * 1000;
            long cut = System.nanoTime();
            proxy.cut();
            Waits.until(active + " to stop answering for " + eip, DEADLINE, () -> arp.silent(active));
            long fencedMs = (System.nanoTime() - cut) / 1_000_000;
            Waits.until("the EIP to move to " + other, DEADLINE, () -> other.equals(awaitPolicyStatus("shop", "node")));
            eventuallySeen("shop-1", eip);
            long resumedMs = (System.nanoTime() - cut) / 1_000_000;
            System.out.println("BENCHMARK e2e.fencing.fenced_ms=" + fencedMs + " e2e.fencing.traffic_resumed_ms=" + resumedMs);
            Waits.until(other + " to answer for " + eip, DEADLINE, () -> arp.answering(other));

            Object cutRenewal = renewTime(active);
            proxy.restore();
            Waits.until(active + "'s agent to renew its Lease again", DEADLINE,
                    () -> !Objects.equals(cutRenewal, renewTime(active)));
            int after = arp.probes();
            eventuallySeen("shop-1", eip);
            Waits.until("20 more ARP probes after " + active + " is back", DEADLINE, () -> arp.probes() >= after + 20);
            assertThat(awaitPolicyStatus("shop", "node")).as("a healthy node is never displaced").isEqualTo(other);
            assertThat(arp.silent(active)).as("%s does not take %s back", active, eip).isTrue();
            assertThat(arp.errors()).as("probe errors").isEmpty();
            who = arp.answers();
            System.out.println("ARP answers for " + eip + " (" + arp.probes() + " probes): "
                    + who.stream().map(w -> w.substring(w.indexOf(' ') + 1)).distinct().toList());
        }
        assertThat(who).as("ARP answers after the cut").anySatisfy(w -> assertThat(w).endsWith(" " + other));
        assertThat(who).as("answers only from the two gateways").allSatisfy(
                w -> assertThat(w).matches(".* (" + active + "|" + other + ")"));
        int firstOther = indexOfFirst(who, other);
        assertThat(who.subList(firstOther, who.size())).as("%s answered again after %s had started (ARP on the underlay)",
                active, other).noneSatisfy(w -> assertThat(w).endsWith(" " + active));
        assertThat(who.subList(0, firstOther)).as("%s answered before the cut", active)
                .anySatisfy(w -> assertThat(ArpSampler.micros(w)).isLessThan(cutMicros));
    }

    private static int indexOfFirst(List<String> who, String node) {
        for (int i = 0; i < who.size(); i++) {
            if (who.get(i).endsWith(" " + node)) {
                return i;
            }
        }
        throw new AssertionError(node + " never answered: " + who);
    }
}
