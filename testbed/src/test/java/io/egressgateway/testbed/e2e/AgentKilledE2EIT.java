package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.cluster.Waits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One EIP is answered by at most one node, also when the active gateway's agent dies without a word
 * (SIGKILL) and is not restarted: its node stops answering ARP with the process (the agent answers
 * from its own packet sockets, docs/failover.md), the controller moves the EIP after the eviction
 * timeout, and from the first answer of the new gateway on, the external host, asking every ~50 ms,
 * never hears the old one again.
 */
class AgentKilledE2EIT extends ShopPolicyE2E {
    /** The default 5 s eviction: the move after the agent's death is the subject. */
    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    @Test
    void aKilledAgentsNodeNeverAnswersAgainOnceTheEipMoved() throws Exception {
        eventuallySeen("shop-1", eip);
        String active = awaitPolicyStatus("shop", "node");
        String other = active.equals("node2") ? "node3" : "node2";
        long killMicros;
        List<String> who;
        try (ArpSampler arp = new ArpSampler(testbed, eip)) {
            Waits.until("only " + active + " to answer for " + eip, DEADLINE,
                    () -> arp.answering(active) && arp.silent(other) && active.equals(awaitPolicyStatus("shop", "node")));
            killMicros = System.currentTimeMillis() * 1000;
            cluster.killAgent(active);
            Waits.until(active + " to stop answering once its agent is dead", DEADLINE, () -> arp.silent(active));
            Waits.until("the EIP to move to " + other, DEADLINE, () -> other.equals(awaitPolicyStatus("shop", "node")));
            eventuallySeen("shop-1", eip);
            Waits.until(other + " to answer for " + eip, DEADLINE, () -> arp.answering(other));
            int after = arp.probes();
            Waits.until("20 more ARP probes", DEADLINE, () -> arp.probes() >= after + 20);
            eventuallySeen("shop-1", eip);
            who = arp.answers();
            assertThat(arp.errors()).as("probe errors").isEmpty();
        }
        System.out.println("ARP answers for " + eip + ": " + who.stream().map(w -> w.substring(w.indexOf(' ') + 1))
                .distinct().toList());
        assertThat(who).as("answers only from the two gateways")
                .allSatisfy(w -> assertThat(w).matches(".* (" + active + "|" + other + ")"));
        int firstOther = indexOfFirst(who, other);
        assertThat(who.subList(0, firstOther)).as("%s answered before its agent was killed", active)
                .anySatisfy(w -> assertThat(ArpSampler.micros(w)).isLessThan(killMicros));
        assertThat(who.subList(firstOther, who.size())).as("%s answered again after %s had started", active, other)
                .noneSatisfy(w -> assertThat(w).endsWith(" " + active));
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
