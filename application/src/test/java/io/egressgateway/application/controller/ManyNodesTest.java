package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 5,000 EgressNodes: with the default mark layout every node is served; with a mark space too small
 * for them, the nodes left out are named in their Allocated condition, a Warning Event, the gauge,
 * and the Programmed condition of every policy with pods on them (never "programmed").
 */
class ManyNodesTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, String> GW = Map.of("egress", "true");
    static final int NODES = 5000;
    final InMemoryCluster c = new InMemoryCluster();
    final ControllerStats stats = new ControllerStats();

    ControllerReconciler reconciler(long reservedMask) {
        Settings s = new Settings(ForwardMethod.ACTIVE_PASSIVE, true, false, "egressgateway",
                new Settings.Tunnel("172.31.0.0/16", "fd11::/112", "v4", "v6", 100, 7789, "auto"),
                new Settings.Mark(0x26000000L, 0xff000000L, reservedMask, 99),
                new Settings.Iptables(Settings.IptablesBackend.AUTO),
                new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), true),
                new Settings.Cluster(List.of("10.0.0.0/8"), List.of("10.96.0.0/12"), List.of()),
                new Settings.Agent(Duration.ofMillis(100), Duration.ofSeconds(60)), false, 100,
                new Settings.Ports(0, 0, 0));
        return new ControllerReconciler(s, Clock.fixed(T0, ZoneOffset.UTC), c, c, c, c, c, c, stats);
    }

    void cluster() {
        for (int i = 1; i <= NODES; i++) {
            String n = String.format("n%04d", i);
            c.nodes.put(n, new ClusterNode(n, i <= 2 ? GW : Map.of(), true,
                    List.of("10." + (i / 250) + "." + (i % 250) + ".0/24"), List.of("192.168." + (i / 250) + "." + (i % 250))));
            c.heartbeats.put(n, T0);
        }
        c.gateways.put("gw", new Gateway("gw", 1, LabelSelector.of(GW),
                new IpPools(List.of("192.0.2.200-192.0.2.210"), List.of(), "192.0.2.200", null), false, null));
        c.policies.put("shop", new Policy("shop", 1, "gw", new AppliedTo(LabelSelector.of(Map.of("app", "shop")), null,
                null), List.of(), new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0, null));
        // one pod on the first node and one on the last
        c.pods.put("shop/a", new PodInfo("shop", "a", Map.of("app", "shop"), "n0001", List.of("10.0.1.2"), false, false));
        c.pods.put("shop/z", new PodInfo("shop", "z", Map.of("app", "shop"), "n5000", List.of("10.20.0.2"), false, false));
    }

    void settle(ControllerReconciler r) {
        for (int i = 0; i < 6; i++) {
            if (r.reconcile(Set.of(ReconcileControllerUseCase.ALL)) == 0) {
                return;
            }
        }
    }

    @Test
    void theDefaultLayoutServesFiveThousandNodes() {
        cluster();
        ControllerReconciler r = reconciler(0x0000dff0L); // the default mark.reservedMask
        settle(r);
        assertThat(c.egressNodes).hasSize(NODES);
        Set<Long> marks = new HashSet<>();
        for (EgressNode e : c.egressNodes.values()) {
            assertThat(e.phase()).as(e.name()).isNotEqualTo(EgressNodePhase.Failed);
            assertThat(e.mark()).as(e.name()).isNotNull();
            marks.add(e.mark());
        }
        assertThat(marks).hasSize(NODES);
        assertThat(stats.unservedNodes()).isZero();
        assertThat(programmed("shop").reason()).isNotEqualTo(PolicyConditions.NODES_NOT_SERVED);
    }

    @Test
    void nodesBeyondTheMarkSpaceAreNamedEverywhereAndThePolicyIsNeverProgrammed() {
        cluster();
        ControllerReconciler r = reconciler(0x0000ffffL); // the former default: 255 marks
        settle(r);
        List<String> failed = c.egressNodes.values().stream().filter(e -> e.phase() == EgressNodePhase.Failed)
                .map(EgressNode::name).toList();
        assertThat(failed).hasSize(NODES - 255).contains("n5000").doesNotContain("n0001");
        EgressNode last = c.egressNodes.get("n5000");
        assertThat(last.conditions()).anySatisfy(cond -> {
            assertThat(cond.type()).isEqualTo(EgressNodePlanner.ALLOCATED);
            assertThat(cond.status()).isEqualTo(Condition.Status.False);
            assertThat(cond.message()).contains("mark (all 255 marks of 0x26000000 are taken)");
        });
        assertThat(c.events).anyMatch(e -> e.startsWith("EgressNode/n5000 Failed: no free mark"));
        assertThat(stats.unservedNodes()).isEqualTo(NODES - 255);
        Condition p = programmed("shop");
        assertThat(p.status()).isEqualTo(Condition.Status.False);
        assertThat(p.reason()).isEqualTo(PolicyConditions.NODES_NOT_SERVED);
        assertThat(p.message()).startsWith("pods on 1 node(s) that cannot be served leave without the EIP: n5000 (");
        // every agent reporting the policy changes nothing: the node still cannot carry its pods
        c.egressNodes.replaceAll((n, e) -> new EgressNode(e.name(), e.generation(), e.phase(), e.tunnelIPv4(),
                e.tunnelIPv6(), e.tunnelMac(), e.mark(), e.physicalInterface(), e.physicalInterfaceIPv4(),
                e.physicalInterfaceIPv6(), e.interfaces(), Map.of("shop", 1L), e.conditions()));
        settle(r);
        assertThat(programmed("shop").reason()).isEqualTo(PolicyConditions.NODES_NOT_SERVED);
    }

    private Condition programmed(String policy) {
        return c.policies.get(policy).status().conditions().stream()
                .filter(x -> x.type().equals(PolicyConditions.PROGRAMMED)).findFirst().orElseThrow();
    }
}
