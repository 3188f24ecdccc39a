package io.egressgateway.application.controller;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The policy conditions the controller adds to the election's: Programmed and Ready. */
final class PolicyConditions {
    static final String PROGRAMMED = "Programmed";
    static final String READY = "Ready";
    static final String GATEWAY_NOT_FOUND = "GatewayNotFound";
    static final String CLUSTER_INCOMPLETE = "ClusterCIDRsIncomplete";
    static final String NODES_NOT_SERVED = "NodesNotServed";

    private PolicyConditions() {
    }

    /**
     * "programmed on N/M nodes": M agents (EgressNodes), N of them alive and reporting this generation or
     * newer. A silent agent's last report stays on its Lease; it no longer says the node's datapath is
     * kept, so it does not count (before, existing policies kept showing 3/3 after an agent died).
     */
    static Condition programmed(Policy p, List<EgressNode> nodes, java.util.Set<String> silent, Optional<ClusterInfo> info,
                                Instant now) {
        return programmed(p, nodes, silent, info, java.util.Map.of(), now);
    }

    /**
     * As above; a policy with endpoints on a node the controller cannot serve ({@code unserved}: node
     * to reason) is never programmed: those pods leave without the EIP whatever their agent reports.
     */
    static Condition programmed(Policy p, List<EgressNode> nodes, java.util.Set<String> silent, Optional<ClusterInfo> info,
                                java.util.Map<String, String> unserved, Instant now) {
        if (p.destCIDR().isEmpty() && (info.isEmpty() || !info.get().complete())) {
            return Condition.of(PROGRAMMED, false, CLUSTER_INCOMPLETE,
                    "destCIDR is empty and EgressClusterInfo is incomplete (its pod or service networks are unknown: "
                            + "see its ClusterCIDRsIncomplete condition), so agents do not program this policy with a "
                            + "partial exclusion list: set cluster.podCIDRs / cluster.serviceCIDRs or give destCIDR",
                    p.generation(), previous(p), now);
        }
        if (!unserved.isEmpty()) {
            List<String> names = List.copyOf(unserved.keySet());
            String shown = String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
            return Condition.of(PROGRAMMED, false, NODES_NOT_SERVED, "pods on " + names.size()
                    + " node(s) that cannot be served leave without the EIP: " + shown + " ("
                    + unserved.values().iterator().next() + "; see their EgressNode's Allocated condition)",
                    p.generation(), previous(p), now);
        }
        long done = nodes.stream().filter(n -> !silent.contains(n.name()))
                .filter(n -> n.programmed().getOrDefault(p.name(), -1L) >= p.generation()).count();
        boolean all = done == nodes.size();
        List<String> quiet = nodes.stream().map(EgressNode::name).filter(silent::contains).sorted().toList();
        return Condition.of(PROGRAMMED, all, all ? "AllNodesProgrammed" : "Programming",
                done + "/" + nodes.size() + " nodes" + (quiet.isEmpty() ? "" : " (no heartbeat from " + String.join(", ", quiet) + ")"),
                p.generation(), previous(p), now);
    }

    /**
     * The unserved nodes ({@code unserved}: node to reason) this policy depends on: those holding its
     * endpoints, whose pods would leave without the EIP. (As gateways they do not count:
     * {@code NodeReadinessRule} never elects a Failed node.)
     */
    static java.util.Map<String, String> unservedOf(Policy pol, List<io.egressgateway.domain.model.Endpoint> endpoints,
                                                    java.util.Map<String, String> unserved) {
        if (unserved.isEmpty()) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (var e : endpoints) {
            String why = e.node() == null ? null : unserved.get(e.node());
            if (why != null) {
                out.put(e.node(), why);
            }
        }
        return out;
    }

    static Condition gatewayNotFound(Policy p, Instant now) {
        String msg = p.egressGatewayName() == null
                ? "egressGatewayName is empty and no EgressGateway has clusterDefault: true"
                : "egressGatewayName '" + p.egressGatewayName() + "': no such EgressGateway";
        return Condition.of(READY, false, GATEWAY_NOT_FOUND, msg, p.generation(), previous(p), now);
    }

    /** Ready: placed on a node and no problem condition True; else the first problem's reason. */
    static Condition ready(Policy p, boolean placed, List<Condition> decided, Instant now) {
        for (Condition c : decided) {
            if (c.status() == Condition.Status.True) {
                return Condition.of(READY, false, c.reason(), c.message(), p.generation(), previous(p), now);
            }
        }
        if (!placed) {
            return Condition.of(READY, false, "NoGatewayNode", "no Ready gateway node carries this policy",
                    p.generation(), previous(p), now);
        }
        return Condition.of(READY, true, "Placed", "placed on a Ready gateway node", p.generation(), previous(p), now);
    }

    private static List<Condition> previous(Policy p) {
        return p.status() == null ? List.of() : p.status().conditions();
    }
}
