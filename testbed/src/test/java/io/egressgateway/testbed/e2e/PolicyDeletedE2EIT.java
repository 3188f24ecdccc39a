package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.cluster.Waits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deleting the policy, then the gateway, leaves no owned kernel object on any node.
 *
 * <p>"Owned" as in docs/datapath.md and docs/linux-adapter.md: iptables chains named
 * {@code EGRESSGATEWAY-*} and the jumps to them, ipsets named {@code egress-*}, ip rules at the
 * agent's priority 99, routes in tables numbered in the mark range ({@code 0x26xxxxxx}), the traffic
 * counters (nfacct objects named {@code egw-*}), what older agents left for EIP announcements (proxy
 * neighbour entries and host routes of the pool's addresses),
 * and on the wire: the EIP answered by no node once the gateway is gone. With the policy
 * gone its own sets, SNAT rules and EIP announcement must go; the gateway's baseline (chains, tables,
 * rules for its Ready nodes) stays while the gateway exists. With the gateway gone too, all of the
 * above must go. The tunnel device, its addresses, neighbours and FDB entries, and the set of peer
 * addresses that guards its port (with its raw PREROUTING rule) are per node, not per
 * policy: they stay while the EgressNodes exist (the planner builds the tunnel whenever this node has
 * an allocation), so they are not asserted here; sysctls are never reset (linux-adapter.md).
 */
class PolicyDeletedE2EIT extends ShopPolicyE2E {
    private static final long MARK_BASE = 0x26000000L;
    private static final long MARK_MASK = 0xff000000L;


    /** On legacy iptables (the suite covers both backends, see E2ESupport#backend). */
    @Override
    IptablesBackend backend() {
        return IptablesBackend.LEGACY;
    }

    @Test
    void deletingThePolicyThenTheGatewayLeavesNothingOwned() throws Exception {
        eventuallySeen("shop-1", eip);
        String carrier = awaitPolicyStatus("shop", "node");
        // The agents answer ARP from their process: the wire says whether the EIP is still answered.
        ArpSampler arp = new ArpSampler(testbed, eip);
        Waits.until(carrier + " to answer for " + eip, DEADLINE, () -> arp.answering(carrier));
        // The same probes must see the objects while they exist, or "nothing left" would prove nothing.
        assertThat(policyObjects(carrier)).as("policy objects on %s while the policy exists", carrier).isNotEmpty();
        assertThat(owned("node1")).as("owned objects on node1 while the policy exists").isNotEmpty();

        resources.delete("EgressGatewayPolicy", "shop");
        for (String node : testbed.nodeNames()) {
            Waits.until("the policy's objects to be gone from " + node, DEADLINE, () -> {
                List<String> left = policyObjects(node);
                if (!left.isEmpty()) {
                    throw new IllegalArgumentException("left: " + left);
                }
                return true;
            });
        }
        assertThat(seenFrom("shop-1", testbed.externalAddress())).isEqualTo(testbed.nodeAddress("node1"));

        resources.delete("EgressGateway", "default");
        for (String node : testbed.nodeNames()) {
            Waits.until("every owned object to be gone from " + node, DEADLINE, () -> {
                List<String> left = owned(node);
                if (!left.isEmpty()) {
                    throw new IllegalArgumentException("left: " + left);
                }
                return true;
            });
        }
        assertThat(seenFrom("shop-1", testbed.externalAddress())).isEqualTo(testbed.nodeAddress("node1"));
        try (arp) {
            Waits.until("no node to answer for " + eip, DEADLINE,
                    () -> testbed.nodeNames().stream().allMatch(arp::silent));
            int after = arp.probes();
            Waits.until("10 more ARP probes", DEADLINE, () -> arp.probes() >= after + 10);
            assertThat(testbed.nodeNames()).as("nodes answering for %s after the gateway's deletion", eip)
                    .allMatch(arp::silent);
        }
    }

    /** What belongs to policy "shop" on {@code node}: its sets, rules naming them, its EIP's announcement. */
    private List<String> policyObjects(String node) {
        List<String> found = new ArrayList<>();
        for (String set : onNode(node, "ipset", "list", "-n").lines().toList()) {
            if (set.startsWith("egress-src-") || set.startsWith("egress-dst-")) {
                found.add("ipset " + set);
            }
        }
        iptablesSave(node).lines().filter(l -> l.contains("egress-src-") || l.contains("egress-dst-")
                || l.contains(eip)).forEach(l -> found.add("iptables " + l));
        found.addAll(eipObjects(node));
        found.addAll(counters(node));
        return found;
    }

    /** The policy's traffic counters (nfacct objects, docs/traffic-metrics.md): one policy here, so every one. */
    private List<String> counters(String node) {
        try {
            return KernelCounters.names(testbed.nodeNetns(node), "egw-").stream().map(n -> "nfacct " + n).toList();
        } catch (Exception e) {
            throw new IllegalStateException("nfacct objects of " + node + " not read", e);
        }
    }

    private List<String> eipObjects(String node) {
        List<String> found = new ArrayList<>();
        onNode(node, "ip", "-4", "neigh", "show", "proxy").lines().filter(l -> l.startsWith("192.0.2.2"))
                .forEach(l -> found.add("proxy neighbour " + l));
        onNode(node, "ip", "-4", "route", "show", "table", "all").lines().filter(l -> l.startsWith("192.0.2.2"))
                .forEach(l -> found.add("EIP route " + l));
        return found;
    }

    /** Every owned object on {@code node} except the per-node tunnel (see the class comment). */
    private List<String> owned(String node) {
        List<String> found = new ArrayList<>();
        iptablesSave(node).lines().filter(l -> l.contains("EGRESSGATEWAY")).forEach(l -> found.add("iptables " + l));
        // the peer set guards the tunnel port: per node, like the tunnel itself (see the class comment)
        onNode(node, "ipset", "list", "-n").lines().filter(l -> l.startsWith("egress-") && !l.startsWith("egress-peers-"))
                .forEach(l -> found.add("ipset " + l));
        onNode(node, "ip", "-4", "rule", "show").lines().filter(l -> l.startsWith("99:"))
                .forEach(l -> found.add("ip rule " + l));
        for (String route : onNode(node, "ip", "-4", "route", "show", "table", "all").lines().toList()) {
            String[] words = route.split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("table") && words[i + 1].matches("[0-9]+")
                        && (Long.parseLong(words[i + 1]) & MARK_MASK) == MARK_BASE) {
                    found.add("route " + route);
                }
            }
        }
        found.addAll(eipObjects(node));
        found.addAll(counters(node));
        return found;
    }
}
