package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconcile pass over in-memory ports: idempotence and failover, without an API server. */
class ControllerReconcilerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, String> GW = Map.of("egress", "true");
    final InMemoryCluster c = new InMemoryCluster();
    Instant now = T0;
    final ControllerStats stats = new ControllerStats();

    /** The monotonic clock of the write retry delays; a test may replace it with its own. */
    java.util.function.LongSupplier nanos = System::nanoTime;

    ControllerReconciler reconciler() {
        return reconciler(c, PassWrites.newPool());
    }

    /** With its own slices port and the pool that runs the pass's writes. */
    ControllerReconciler reconciler(io.egressgateway.application.port.out.UpdateEndpointSlicesPort slices,
                                    java.util.concurrent.Executor writes) {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        Settings s = new Settings(ForwardMethod.ACTIVE_PASSIVE, true, false, "egressgateway",
                new Settings.Tunnel("172.31.0.0/16", "fd11::/112", "v4", "v6", 100, 7789, "auto"),
                new Settings.Mark(0x26000000L, 0xff000000L, 0x0000ffffL, 99),
                new Settings.Iptables(Settings.IptablesBackend.AUTO),
                new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), true),
                new Settings.Cluster(List.of("10.244.0.0/16"), List.of("10.96.0.0/12"), List.of()),
                new Settings.Agent(Duration.ofMillis(100), Duration.ofSeconds(60)), false, 100,
                new Settings.Ports(0, 0, 0));
        return new ControllerReconciler(s, clock, c, c, c, slices, c, c, stats, writes, () -> nanos.getAsLong());
    }

    void cluster() {
        for (int i = 1; i <= 3; i++) {
            c.nodes.put("n" + i, new ClusterNode("n" + i, i == 1 ? Map.of() : GW, true, List.of("10.244." + i + ".0/24"),
                    List.of("192.0.2.1" + i)));
            c.heartbeats.put("n" + i, T0);
        }
        c.gateways.put("gw", new Gateway("gw", 1, LabelSelector.of(GW),
                new IpPools(List.of("192.0.2.200-192.0.2.210"), List.of(), "192.0.2.200", null), false, null));
        c.policies.put("shop", new Policy("shop", 1, "gw", new AppliedTo(LabelSelector.of(Map.of("app", "shop")), null,
                null), List.of(), new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0, null));
        c.pods.put("shop/a", new PodInfo("shop", "a", Map.of("app", "shop"), "n1", List.of("10.244.1.2"), false, false));
    }

    @Test
    void reconcilingTwiceWritesNothingTheSecondTime() {
        cluster();
        var r = reconciler();
        int writes = 0;
        for (int i = 0; i < 5 && (i == 0 || writes > 0); i++) {
            writes = r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
        assertThat(c.policies.get("shop").status().node()).isIn("n2", "n3");
        assertThat(c.policies.get("shop").status().endpoints()).isEqualTo(1);
        assertThat(c.slices).hasSize(1);
        assertThat(r.reconcile(Set.of(ReconcileControllerUseCase.ALL))).as("an unchanged cluster writes nothing")
                .isZero();
    }

    /** Its agents steer the subnets as they are: no slice, yet status.endpoints counts the pods in them. */
    @Test
    void aPodSubnetPolicyGetsNoSliceButCountsItsPods() {
        cluster();
        c.policies.put("shop", new Policy("shop", 1, "gw", new AppliedTo(null, null, List.of("10.244.1.0/24")),
                List.of(), new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0, null));
        c.pods.put("shop/b", new PodInfo("shop", "b", Map.of(), "n2", List.of("10.244.1.3"), false, false));
        c.pods.put("other/c", new PodInfo("other", "c", Map.of(), "n2", List.of("10.244.2.3"), false, false));
        var r = reconciler();
        for (int i = 0; i < 4; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
        assertThat(c.slices).isEmpty();
        assertThat(c.policies.get("shop").status().endpoints()).isEqualTo(2);
        r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        assertThat(c.policies.get("shop").status().endpoints()).as("a pass that re-selects nothing keeps the count")
                .isEqualTo(2);
        c.policies.put("shop", new Policy("shop", 2, "gw", new AppliedTo(LabelSelector.of(Map.of("app", "shop")), null,
                null), List.of(), new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0,
                c.policies.get("shop").status()));
        r.reconcile(Set.of("EgressGatewayPolicy/shop"));
        assertThat(c.slices).as("turned into a podSelector policy, it gets its slice").hasSize(1);
    }

    @Test
    void aGatewayInUseIsHeldUntilItsLastPolicyGoes() {
        cluster();
        var r = reconciler();
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(c.held).containsExactly("gw");
        c.deletingGateways.add("gw");
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(c.gateways).containsKey("gw");
        c.policies.remove("shop");
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(c.gateways).doesNotContainKey("gw");
    }

    @Test
    void silentGatewayLosesItsEipToTheOtherAndAnEventSaysWhy() {
        cluster();
        var r = reconciler();
        for (int i = 0; i < 4; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
        String first = c.policies.get("shop").status().node();
        String other = first.equals("n2") ? "n3" : "n2";
        now = T0.plusSeconds(6);
        c.heartbeats.put(other, T0.plusSeconds(6));
        c.heartbeats.put("n1", T0.plusSeconds(6));
        for (int i = 0; i < 4; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        }
        assertThat(c.policies.get("shop").status().node()).isEqualTo(other);
        assertThat(c.events).anyMatch(e -> e.startsWith("EgressGatewayPolicy/shop EIPMoved: EIP 192.0.2.200 moved from "
                + first + " to " + other));
    }

    @Test
    void aFreshStartPlacesNothingOnANodeWhoseAgentHasNotRenewedOnceAndNeverFlaps() {
        cluster();
        c.heartbeats.clear();
        var r = reconciler();
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(c.policies.get("shop").status().node()).as("no agent has renewed yet").isNull();
        assertThat(c.policies.get("shop").status().conditions()).anyMatch(x -> x.reason().equals("AwaitingHeartbeat"));

        now = T0.plusSeconds(6); // an agent JVM took 6 s to its first renewal: longer than the eviction timeout
        c.heartbeats.put("n3", now);
        for (int i = 0; i < 3; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
        assertThat(c.policies.get("shop").status().node()).as("the only node whose agent renewed").isEqualTo("n3");
        c.heartbeats.put("n2", now);
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(c.gateways.get("gw").status().nodeList()).allMatch(n -> n.status() == NodeReadiness.Ready);
        assertThat(c.events).noneMatch(e -> e.contains("NodeNotReady") || e.contains("EIPMoved") || e.contains("HeartbeatTimeout"));
    }

    @Test
    void programmedCountsOnlyNodesWhoseAgentIsAlive() {
        cluster();
        var r = reconciler();
        for (int i = 0; i < 3; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
        c.egressNodes.replaceAll((n, e) -> new io.egressgateway.domain.model.EgressNode(e.name(), e.generation(), e.phase(),
                e.tunnelIPv4(), e.tunnelIPv6(), e.tunnelMac(), e.mark(), e.physicalInterface(), e.physicalInterfaceIPv4(),
                e.physicalInterfaceIPv6(), e.interfaces(), Map.of("shop", 1L), e.conditions()));
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(programmed()).isEqualTo("3/3 nodes");

        now = T0.plusSeconds(6);
        c.heartbeats.replaceAll((n, t) -> n.equals("n2") ? t : T0.plusSeconds(6));
        r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        assertThat(programmed()).isEqualTo("2/3 nodes (no heartbeat from n2)");
    }

    private String programmed() {
        return c.policies.get("shop").status().conditions().stream().filter(x -> x.type().equals("Programmed"))
                .findFirst().orElseThrow().message();
    }

    @Test
    void anAgentRestartThatOutlastsTheEvictionTimeoutMovesNothingWhenItsLeaseSaysRestarting() {
        cluster();
        var r = reconciler();
        for (int i = 0; i < 3; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
        String node = c.policies.get("shop").status().node();
        now = T0.plusSeconds(1);
        c.heartbeats.put(node, now);
        c.restarting.add(node); // SIGTERM: the last renewal of the old agent
        r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        now = T0.plusSeconds(9); // the new agent's first renewal comes 8 s later
        c.heartbeats.replaceAll((n, t) -> n.equals(node) ? t : now);
        r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        assertThat(c.policies.get("shop").status().node()).isEqualTo(node);
        c.heartbeats.put(node, now);
        c.restarting.remove(node);
        r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        assertThat(c.policies.get("shop").status().node()).isEqualTo(node);
        assertThat(c.events).noneMatch(e -> e.contains("HeartbeatTimeout") || e.contains("EIPMoved"));
    }
}
