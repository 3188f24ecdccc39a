package io.egressgateway.application.ctl;

import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small cluster for the ctl use cases: gateway "default" on n2 (Ready) and n3, worker n1. */
final class CtlWorld {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final ClusterInfo INFO = new ClusterInfo(List.of("10.244.0.0/16"), List.of("10.96.0.0/12"),
            List.of("192.0.2.11", "192.0.2.12", "192.0.2.13"), List.of("172.31.0.0/16"), List.of("192.0.2.200/29"),
            ClusterInfo.ALWAYS, List.of(), true);

    final List<Policy> policies = new ArrayList<>();
    final Map<String, Map<String, Long>> programmed = new HashMap<>();
    NodeReadiness n3 = NodeReadiness.Ready;

    static final PodInfo SHOP = new PodInfo("default", "shop-1", Map.of("app", "shopping"), "n1", List.of("10.244.1.5"),
            false, false);

    Policy policy(String name, int priority, String app, List<String> dest, String node, long generation) {
        Policy p = new Policy(name, generation, "default", new AppliedTo(LabelSelector.of(Map.of("app", app)), null, null),
                dest, null, priority, new PolicyStatus(generation, "192.0.2.200", null, node,
                node == null ? List.of() : List.of(node), 1,
                List.of(new Condition("Programmed", Condition.Status.True, "AllNodesProgrammed", "3/3 nodes", generation, NOW),
                        new Condition("Ready", Condition.Status.True, "Placed", "", generation, NOW))));
        policies.add(p);
        return p;
    }

    void programmed(String node, String policy, long generation) {
        programmed.computeIfAbsent(node, k -> new HashMap<>()).put(policy, generation);
    }

    EgressState state() {
        Gateway gw = new Gateway("default", 1, LabelSelector.of(Map.of("egress", "true")),
                new IpPools(List.of("192.0.2.200-192.0.2.205"), List.of(), "192.0.2.200", null), true,
                new GatewayStatus(1, ForwardMethod.ACTIVE_PASSIVE, List.of(
                        new GatewayNode("n2", NodeReadiness.Ready, true, List.of(),
                                List.of(new EipAssignment("192.0.2.200", null, List.of("shop")))),
                        new GatewayNode("n3", n3, false, List.of(), List.of())),
                        new io.egressgateway.domain.model.IpUsage(java.math.BigInteger.valueOf(6), java.math.BigInteger.valueOf(5),
                                java.math.BigInteger.ZERO, java.math.BigInteger.ZERO), null, List.of()));
        List<EgressNode> egn = new ArrayList<>();
        List<ClusterNode> nodes = new ArrayList<>();
        for (String n : List.of("n1", "n2", "n3")) {
            nodes.add(new ClusterNode(n, n.equals("n1") ? Map.of() : Map.of("egress", "true"), true, List.of(), List.of()));
            egn.add(new EgressNode(n, 1, EgressNodePhase.Succeeded, "172.31.0.1/16", null, null, null, "eth0", null, null,
                    List.of(), programmed.getOrDefault(n, Map.of()),
                    List.of(new Condition("TunnelReady", Condition.Status.True, "Built", "", 1, NOW))));
        }
        return new EgressState(nodes, egn, List.of(gw), policies, Optional.of(INFO),
                Map.of("n1", NOW.minusMillis(4200), "n2", NOW.minusMillis(300)), Map.of());
    }
}
