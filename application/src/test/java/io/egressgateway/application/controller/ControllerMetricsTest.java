package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControllerMetricsTest {
    final ControllerReconcilerTest f = new ControllerReconcilerTest();
    final ControllerMetrics metrics = new ControllerMetrics(f.stats);

    private void settle(ControllerReconciler r) {
        for (int i = 0; i < 4; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
    }

    private Optional<Double> value(String family, Map<String, String> labels) {
        return metrics.collect().stream().filter(m -> m.name().equals(family)).flatMap(m -> m.samples().stream())
                .filter(s -> s.labels().equals(labels)).map(MetricFamily.Sample::value).findFirst();
    }

    @Test
    void aLeaderReportsPoolUsageReadinessAndItsEipAssignmentOnceWithAnEvent() {
        f.cluster();
        f.stats.term(() -> 7);
        settle(f.reconciler());

        assertThat(value("egressgateway_controller_leader", Map.of())).contains(1.0);
        assertThat(value("egressgateway_controller_queue_depth", Map.of())).contains(7.0);
        assertThat(value("egressgateway_gateway_nodes_ready", Map.of("gateway", "gw"))).contains(2.0);
        assertThat(value("egressgateway_gateway_eip_pool_size", Map.of("gateway", "gw", "family", "ipv4"))).contains(11.0);
        assertThat(value("egressgateway_gateway_eips_assigned", Map.of("gateway", "gw", "family", "ipv4"))).contains(1.0);
        assertThat(value("egressgateway_policy_eip_assigned", Map.of("policy", "shop", "family", "ipv4"))).contains(1.0);
        assertThat(value("egressgateway_policy_gateway_ready", Map.of("policy", "shop"))).contains(1.0);
        assertThat(value("egressgateway_nodes", Map.of("phase", "Succeeded"))).isPresent();
        assertThat(value("egressgateway_controller_eip_allocations_total", Map.of("gateway", "gw"))).contains(1.0);
        assertThat(value("egressgateway_controller_reconcile_passes_total", Map.of("result", "ok"))).contains(4.0);
        assertThat(f.c.events.stream().filter(e -> e.startsWith("EgressGatewayPolicy/shop EIPAssigned: EIP 192.0.2.200 "
                + "of gateway gw assigned to node "))).hasSize(1);
    }

    @Test
    void aPolicyNamingNoGatewayIsCountedUnderTheClusterDefaultOne() {
        f.cluster();
        Gateway gw = f.c.gateways.get("gw");
        f.c.gateways.put("gw", new Gateway(gw.name(), gw.generation(), gw.nodeSelector(), gw.ippools(), true, null));
        Policy p = f.c.policies.get("shop");
        f.c.policies.put("shop", new Policy(p.name(), p.generation(), null, p.appliedTo(), p.destCIDR(), p.egressIP(),
                p.priority(), null));
        f.stats.term(() -> 0);
        settle(f.reconciler());

        assertThat(f.c.policies.get("shop").status().eipV4()).isEqualTo("192.0.2.200");
        assertThat(value("egressgateway_controller_eip_allocations_total", Map.of("gateway", "gw"))).contains(1.0);
        assertThat(value("egressgateway_controller_reconcile_passes_total", Map.of("result", "error"))).contains(0.0);
    }

    @Test
    void aStandbyReportsNoClusterGaugesButKeepsItsCounters() {
        f.cluster();
        f.stats.term(() -> 0);
        settle(f.reconciler());
        f.stats.term(null);

        List<String> names = metrics.collect().stream().map(MetricFamily::name).toList();
        assertThat(value("egressgateway_controller_leader", Map.of())).contains(0.0);
        assertThat(names).doesNotContain("egressgateway_gateway_nodes_ready", "egressgateway_policy_eip_assigned",
                "egressgateway_controller_queue_depth", "egressgateway_nodes");
        assertThat(value("egressgateway_controller_eip_allocations_total", Map.of("gateway", "gw"))).contains(1.0);
    }

    @Test
    void aFailoverIsCountedOnceWithItsCauseEvenWhenTheCacheStillShowsTheOldNode() {
        f.cluster();
        f.stats.term(() -> 0);
        var r = f.reconciler();
        settle(r);
        Policy placed = f.c.policies.get("shop");
        String first = placed.status().node();
        String other = first.equals("n2") ? "n3" : "n2";
        // the Node turns NotReady: its EIP moves to the other gateway node
        ClusterNode n = f.c.nodes.get(first);
        f.c.nodes.put(first, new ClusterNode(n.name(), n.labels(), false, n.podCIDRs(), n.internalIPs()));
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(f.c.policies.get("shop").status().node()).isEqualTo(other);
        // an informer that has not seen the write yet: the pass sees the old status once more
        Policy moved = f.c.policies.get("shop");
        f.c.policies.put("shop", placed);
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        f.c.policies.put("shop", moved);
        settle(r);

        assertThat(value("egressgateway_controller_failovers_total", Map.of("gateway", "gw", "cause", "node_not_ready")))
                .contains(1.0);
        assertThat(f.stats.failovers()).hasSize(1);
        // the other causes are there from 0 on, so the first failover of a cause is an increase
        assertThat(value("egressgateway_controller_failovers_total", Map.of("gateway", "gw", "cause", "heartbeat_lost")))
                .contains(0.0);
        assertThat(value("egressgateway_gateway_nodes_ready", Map.of("gateway", "gw"))).contains(1.0);
        assertThat(value("egressgateway_controller_eip_allocations_total", Map.of("gateway", "gw"))).contains(1.0);
    }
}
