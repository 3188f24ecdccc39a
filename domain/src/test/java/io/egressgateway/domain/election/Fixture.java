package io.egressgateway.domain.election;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small mutable world for election tests: gateway nodes, their health, policies; elect() runs one pass. */
final class Fixture {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final Map<String, Boolean> nodeReady = new HashMap<>();
    final Map<String, EgressNodePhase> phase = new HashMap<>();
    final Set<String> expired = new HashSet<>();
    final Set<String> unproven = new HashSet<>();
    final List<String> otherNodes = new ArrayList<>();
    final Map<String, Policy> policies = new HashMap<>();
    Gateway gateway;
    ForwardMethod method = ForwardMethod.ACTIVE_PASSIVE;
    Instant now = T0;
    io.egressgateway.domain.move.EipMoveRequest move;
    java.time.Duration moveSettle = java.time.Duration.ofSeconds(5);

    Fixture(List<String> v4Pool, List<String> v6Pool, String... gatewayNodes) {
        gateway = new Gateway("gw", 1, LabelSelector.of(Map.of("egress", "true")),
                new IpPools(v4Pool, v6Pool, null, null), false, null);
        for (String n : gatewayNodes) {
            nodeReady.put(n, true);
            phase.put(n, EgressNodePhase.Succeeded);
        }
    }

    Fixture policy(String name, EgressIpMode mode, AllocatorPolicy how) {
        policies.put(name, new Policy(name, 1, "gw", new AppliedTo(LabelSelector.of(Map.of("app", name)), null, null),
                List.of(), new EgressIpSpec(mode, "", "", how), 0, null));
        return this;
    }

    ElectionInput input() {
        List<ClusterNode> nodes = new ArrayList<>();
        List<EgressNode> egressNodes = new ArrayList<>();
        nodeReady.forEach((n, ready) -> {
            nodes.add(new ClusterNode(n, Map.of("egress", "true"), ready, List.of(), List.of("192.0.2.1")));
            egressNodes.add(new EgressNode(n, 1, phase.get(n), null, null, null, null, "eth0", null, null,
                    List.of(new NodeInterface("eth0", List.of("192.0.2.1/24"), List.of())), Map.of(), List.of()));
        });
        otherNodes.forEach(n -> nodes.add(new ClusterNode(n, Map.of(), true, List.of(), List.of())));
        return new ElectionInput(gateway, nodes, egressNodes, expired, new ArrayList<>(policies.values()), method,
                0x26010000L, now, unproven, move, moveSettle);
    }

    /** One pass whose result is written back, as the controller would. */
    ElectionResult elect() {
        ElectionResult r = GatewayElection.elect(input());
        apply(r);
        return r;
    }

    void apply(ElectionResult r) {
        gateway = new Gateway(gateway.name(), gateway.generation(), gateway.nodeSelector(), gateway.ippools(),
                gateway.clusterDefault(), r.status());
        r.policies().forEach((name, d) -> {
            Policy p = policies.get(name);
            policies.put(name, new Policy(p.name(), p.generation(), p.egressGatewayName(), p.appliedTo(), p.destCIDR(),
                    p.egressIP(), p.priority(), new PolicyStatus(p.generation(), d.eipV4(), d.eipV6(), d.node(), d.nodes(),
                    0, d.conditions())));
        });
    }

    /** Node name to the EIP pairs it carries, as "v4|v6". */
    static Map<String, List<String>> eipsByNode(ElectionResult r) {
        Map<String, List<String>> out = new HashMap<>();
        for (GatewayNode n : r.status().nodeList()) {
            n.eips().forEach(e -> out.computeIfAbsent(n.name(), k -> new ArrayList<>()).add(e.ipv4() + "|" + e.ipv6()));
        }
        return out;
    }

    static Map<String, String> nodeOfPolicy(ElectionResult r) {
        Map<String, String> out = new HashMap<>();
        r.policies().forEach((p, d) -> out.put(p, d.node()));
        return out;
    }
}
