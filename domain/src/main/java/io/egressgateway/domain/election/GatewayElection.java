package io.egressgateway.domain.election;

import io.egressgateway.domain.alloc.EipAllocator;
import io.egressgateway.domain.alloc.GatewayPools;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Elects a gateway's nodes and places its EIPs (rules in {@code docs/domain-decisions.md}):
 * readiness per selected node; EIPs per policy ({@link EipAllocator}); EIPs that policies link
 * together (a policy's v4 and v6, a default EIP shared by many policies) form one group that lives
 * on one node; groups and NodeIP/None policies are placed by {@link Placement}; the new status
 * and the policies' decisions are assembled with conditions.
 */
public final class GatewayElection {
    private GatewayElection() {
    }

    public static ElectionResult elect(ElectionInput in) {
        Gateway gw = in.gateway();
        GatewayStatus previous = gw.status();
        Map<String, EgressNode> egressNodes = new HashMap<>();
        in.egressNodes().forEach(e -> egressNodes.put(e.name(), e));
        List<ClusterNode> selected = in.nodes().stream()
                .filter(n -> gw.nodeSelector() != null && gw.nodeSelector().matches(n.labels()))
                .sorted(Comparator.comparing(ClusterNode::name)).toList();
        Map<String, NodeReadiness> readiness = new TreeMap<>();
        for (ClusterNode n : selected) {
            readiness.put(n.name(), NodeReadinessRule.of(n, egressNodes.get(n.name()), in.heartbeatExpired().contains(n.name())));
        }
        List<String> ready = readiness.entrySet().stream().filter(e -> e.getValue() == NodeReadiness.Ready)
                .map(Map.Entry::getKey).toList();

        List<Policy> policies = in.policies().stream().filter(p -> uses(p, gw))
                .sorted(Comparator.comparing(Policy::name)).toList();
        GatewayPools pools = GatewayPools.of(gw.ippools());
        EipAllocator.Result eips = EipAllocator.allocate(pools, policies, previousClaims(policies, previous));
        List<String> notes = new ArrayList<>();
        eips.conflicts().forEach(c -> notes.add("gateway=" + gw.name() + " " + c.describe()));

        List<Placement.Group> groups = groups(eips);
        Placement placement = new Placement(ready, in.unproven());
        EipMoveStep move = EipMoveStep.of(in, groups, readiness);
        Map<String, String> groupNode = new TreeMap<>(placement.placeGroups(groups, move.steer(previousIpNodes(previous))));
        move.release(groupNode);
        Map<String, String> policyNode = new TreeMap<>();
        for (Placement.Group g : groups) {
            String node = groupNode.get(g.key());
            if (node != null) {
                g.policies().forEach(p -> policyNode.put(p, node));
            }
        }
        SortedSet<String> plain = new TreeSet<>();
        for (EipAllocator.PolicyEip e : eips.policies().values()) {
            if (e.mode() != EgressIpMode.EgressIP) {
                plain.add(e.policy());
            }
        }
        boolean activeActive = in.forwardMethod() == ForwardMethod.ACTIVE_ACTIVE;
        if (!activeActive) {
            Map<String, String> prevNode = new HashMap<>();
            for (Policy p : policies) {
                if (p.status() != null && p.status().node() != null && plain.contains(p.name())) {
                    prevNode.put(p.name(), p.status().node());
                }
            }
            policyNode.putAll(placement.placePolicies(plain, prevNode));
        }
        notes.addAll(placement.notes().stream().map(n -> "gateway=" + gw.name() + " " + n).toList());

        SortedMap<String, PolicyDecision> decisions = new TreeMap<>();
        for (Policy p : policies) {
            EipAllocator.PolicyEip e = eips.policies().get(p.name());
            List<String> nodes;
            String node;
            if (activeActive && e.mode() != EgressIpMode.EgressIP) {
                nodes = ready;
                node = null;
            } else {
                node = policyNode.get(p.name());
                nodes = node == null ? List.of() : List.of(node);
            }
            List<Condition> conds = policyConditions(p, e, nodes, gw, selected.size(), in);
            if (move.held().contains(p.name())) {
                conds = held(conds, move, p, in);
            }
            decisions.put(p.name(), new PolicyDecision(p.name(), e.mode(), text(e.ipv4()), text(e.ipv6()), node, nodes,
                    conds));
        }
        GatewayStatus status = new GatewayStatus(gw.generation(), in.forwardMethod(),
                nodeList(readiness, egressNodes, decisions, groups, groupNode, eips),
                eips.usage(), activeActive ? in.mark() : null,
                withMove(gatewayConditions(gw, readiness, ready, decisions, in), move));
        return new ElectionResult(status, decisions, notes);
    }

    private static List<Condition> withMove(List<Condition> conditions, EipMoveStep move) {
        List<Condition> out = new ArrayList<>(conditions);
        move.condition().ifPresent(out::add);
        return out;
    }

    /** NoGatewayNode says why: the policy's EIP is being moved by request, not lost. */
    private static List<Condition> held(List<Condition> conds, EipMoveStep move, Policy p, ElectionInput in) {
        List<Condition> prev = p.status() == null ? List.of() : p.status().conditions();
        String msg = move.condition().map(Condition::message).orElse("");
        return conds.stream().map(c -> c.type().equals(PolicyDecision.NO_GATEWAY_NODE)
                ? Condition.of(c.type(), true, "EIPMoving", msg, p.generation(), prev, in.now()) : c).toList();
    }

    /** A policy uses a gateway it names, or the cluster-default gateway when it names none. */
    public static boolean uses(Policy p, Gateway gw) {
        String name = p.egressGatewayName();
        return name == null || name.isEmpty() ? gw.clusterDefault() : name.equals(gw.name());
    }

    private static String text(IpAddress a) {
        return a == null ? null : a.text();
    }

    private static Map<String, EipAllocator.Claim> previousClaims(List<Policy> policies, GatewayStatus previous) {
        Map<String, EipAllocator.Claim> out = new HashMap<>();
        if (previous != null) {
            for (GatewayNode n : previous.nodeList()) {
                for (EipAssignment a : n.eips()) {
                    a.policies().forEach(p -> out.put(p, new EipAllocator.Claim(a.ipv4(), a.ipv6())));
                }
            }
        }
        for (Policy p : policies) {
            if (p.status() != null && (p.status().eipV4() != null || p.status().eipV6() != null)) {
                out.put(p.name(), new EipAllocator.Claim(p.status().eipV4(), p.status().eipV6()));
            }
        }
        return out;
    }

    private static Map<IpAddress, SortedSet<String>> previousIpNodes(GatewayStatus previous) {
        Map<IpAddress, SortedSet<String>> out = new HashMap<>();
        if (previous == null) {
            return out;
        }
        for (GatewayNode n : previous.nodeList()) {
            for (EipAssignment a : n.eips()) {
                for (String t : new String[] {a.ipv4(), a.ipv6()}) {
                    if (t != null && !t.isEmpty()) {
                        IpAddress.parse(t).map(ip -> out.computeIfAbsent(ip, k -> new TreeSet<>()).add(n.name()));
                    }
                }
            }
        }
        return out;
    }

    /** Union-find over EIPs: a policy links its v4 and v6; a shared EIP links its policies. */
    private static List<Placement.Group> groups(EipAllocator.Result eips) {
        Map<IpAddress, IpAddress> parent = new HashMap<>();
        for (EipAllocator.PolicyEip e : eips.policies().values()) {
            if (e.mode() != EgressIpMode.EgressIP || !e.hasEip()) {
                continue;
            }
            IpAddress a = e.ipv4() != null ? e.ipv4() : e.ipv6();
            IpAddress b = e.ipv6() != null ? e.ipv6() : e.ipv4();
            parent.putIfAbsent(a, a);
            parent.putIfAbsent(b, b);
            IpAddress ra = root(parent, a);
            IpAddress rb = root(parent, b);
            if (!ra.equals(rb)) {
                parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
            }
        }
        Map<IpAddress, Placement.Group> byRoot = new TreeMap<>();
        for (EipAllocator.PolicyEip e : eips.policies().values()) {
            if (e.mode() != EgressIpMode.EgressIP || !e.hasEip()) {
                continue;
            }
            IpAddress r = root(parent, e.ipv4() != null ? e.ipv4() : e.ipv6());
            Placement.Group g = byRoot.computeIfAbsent(r, k -> new Placement.Group(k.text(), new TreeSet<>(), new TreeSet<>()));
            if (e.ipv4() != null) {
                g.ips().add(e.ipv4());
            }
            if (e.ipv6() != null) {
                g.ips().add(e.ipv6());
            }
            g.policies().add(e.policy());
        }
        // roots are the smallest address of their group, so TreeMap order is a stable group order
        return new ArrayList<>(byRoot.values());
    }

    private static IpAddress root(Map<IpAddress, IpAddress> parent, IpAddress a) {
        IpAddress r = a;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        return r;
    }

    /** An EIP pair as listed in {@code status.nodeList[].eips}, ordered v4 then v6, missing last. */
    private record Pair(IpAddress v4, IpAddress v6) implements Comparable<Pair> {
        private static final Comparator<IpAddress> ORDER = Comparator.nullsLast(Comparator.naturalOrder());

        @Override
        public int compareTo(Pair o) {
            int c = ORDER.compare(v4, o.v4);
            return c != 0 ? c : ORDER.compare(v6, o.v6);
        }
    }

    private static List<GatewayNode> nodeList(Map<String, NodeReadiness> readiness, Map<String, EgressNode> egressNodes,
                                              Map<String, PolicyDecision> decisions, List<Placement.Group> groups,
                                              Map<String, String> groupNode, EipAllocator.Result eips) {
        Map<String, SortedMap<Pair, SortedSet<String>>> eipsByNode = new HashMap<>();
        for (Placement.Group g : groups) {
            String node = groupNode.get(g.key());
            if (node == null) {
                continue;
            }
            for (String p : g.policies()) {
                EipAllocator.PolicyEip e = eips.policies().get(p);
                eipsByNode.computeIfAbsent(node, k -> new TreeMap<>())
                        .computeIfAbsent(new Pair(e.ipv4(), e.ipv6()), k -> new TreeSet<>()).add(p);
            }
        }
        java.util.Set<String> carrying = new java.util.HashSet<>();
        decisions.values().forEach(d -> carrying.addAll(d.nodes()));
        List<GatewayNode> out = new ArrayList<>();
        for (Map.Entry<String, NodeReadiness> n : readiness.entrySet()) {
            String name = n.getKey();
            boolean active = carrying.contains(name);
            EgressNode en = egressNodes.get(name);
            List<EipAssignment> list = new ArrayList<>();
            eipsByNode.getOrDefault(name, new TreeMap<>()).forEach((pair, ps) ->
                    list.add(new EipAssignment(text(pair.v4()), text(pair.v6()), List.copyOf(ps))));
            out.add(new GatewayNode(name, n.getValue(), active, en == null ? List.of() : en.interfaces(), list));
        }
        return out;
    }

    private static List<Condition> policyConditions(Policy p, EipAllocator.PolicyEip e, List<String> nodes, Gateway gw,
                                                    int selected, ElectionInput in) {
        List<Condition> prev = p.status() == null ? List.of() : p.status().conditions();
        long gen = p.generation();
        List<EipAllocator.Problem> invalid = e.problems().stream()
                .filter(x -> x.type().equals(EipAllocator.Problem.INVALID_SPEC)).toList();
        List<EipAllocator.Problem> exhausted = e.problems().stream()
                .filter(x -> x.type().equals(EipAllocator.Problem.POOL_EXHAUSTED)).toList();
        boolean wantsNode = !(e.mode() == EgressIpMode.EgressIP && !e.hasEip());
        Condition noNode;
        if (!nodes.isEmpty() || !wantsNode) {
            noNode = Condition.of(PolicyDecision.NO_GATEWAY_NODE, false, nodes.isEmpty() ? "NoEgressIP" : "GatewayNodeReady",
                    nodes.isEmpty() ? "no EIP to place" : nodes.size() == 1 ? "carried by " + nodes.get(0)
                            : "carried by " + nodes.size() + " Ready nodes", gen, prev, in.now());
        } else {
            boolean awaiting = selected > 0 && !in.unproven().isEmpty() && in.nodes().stream()
                    .anyMatch(n -> in.unproven().contains(n.name()) && gw.nodeSelector() != null
                            && gw.nodeSelector().matches(n.labels()));
            String why = selected == 0 ? "the nodeSelector of gateway " + gw.name() + " matches no node"
                    : awaiting ? "waiting for a heartbeat from the agents of gateway " + gw.name()
                            + "'s nodes: a node is chosen only once its agent has renewed its Lease"
                    : "none of the " + selected + " nodes of gateway " + gw.name() + " is Ready";
            noNode = Condition.of(PolicyDecision.NO_GATEWAY_NODE, true,
                    selected == 0 ? "NoNodeSelected" : awaiting ? "AwaitingHeartbeat" : "NoReadyNode", why, gen, prev, in.now());
        }
        return List.of(noNode,
                problemCondition(PolicyDecision.POOL_EXHAUSTED, exhausted, "PoolAvailable", gen, prev, in),
                problemCondition(PolicyDecision.INVALID_SPEC, invalid, "SpecValid", gen, prev, in));
    }

    private static Condition problemCondition(String type, List<EipAllocator.Problem> problems, String okReason,
                                              long gen, List<Condition> prev, ElectionInput in) {
        if (problems.isEmpty()) {
            return Condition.of(type, false, okReason, "", gen, prev, in.now());
        }
        String message = String.join("; ", problems.stream().map(EipAllocator.Problem::message).toList());
        return Condition.of(type, true, problems.get(0).reason(), message, gen, prev, in.now());
    }

    private static List<Condition> gatewayConditions(Gateway gw, Map<String, NodeReadiness> readiness, List<String> ready,
                                                     Map<String, PolicyDecision> decisions, ElectionInput in) {
        List<Condition> prev = gw.status() == null ? List.of() : gw.status().conditions();
        long gen = gw.generation();
        String counts = ready.size() + "/" + readiness.size() + " nodes Ready";
        Condition readyC = Condition.of("Ready", !ready.isEmpty(),
                ready.isEmpty() ? (readiness.isEmpty() ? "NoNodeSelected" : "NoReadyNode") : "NodesReady", counts, gen, prev,
                in.now());
        List<String> exhausted = decisions.values().stream()
                .filter(d -> d.condition(PolicyDecision.POOL_EXHAUSTED).map(c -> c.status() == Condition.Status.True)
                        .orElse(false))
                .map(PolicyDecision::policy).toList();
        Condition poolC = Condition.of("PoolExhausted", !exhausted.isEmpty(),
                exhausted.isEmpty() ? "PoolAvailable" : "PoolExhausted",
                exhausted.isEmpty() ? "" : "no free EIP for policies " + String.join(", ", exhausted), gen, prev, in.now());
        return List.of(readyC, poolC);
    }
}
