package io.egressgateway.domain.plan;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.validation.Violation;
import io.egressgateway.domain.plan.PolicyPlan.Decision;
import io.egressgateway.domain.plan.PolicyPlan.Snat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Resolves every policy into its {@link PolicyPlan}s for this node, in rule order (priority desc, then name). */
final class PolicyPlanner {
    static final Comparator<Policy> RULE_ORDER = io.egressgateway.domain.select.PolicyMatch.RULE_ORDER;

    private final NodeSnapshot snapshot;
    private final Topology topology;
    private final MarkLayout marks;
    private final Map<String, Gateway> gateways = new HashMap<>();
    private final Map<String, List<Endpoint>> endpoints = new HashMap<>();
    private final List<SnapshotVetting.Skipped> failed = new ArrayList<>();

    PolicyPlanner(NodeSnapshot snapshot, Topology topology, MarkLayout marks) {
        this.snapshot = snapshot;
        this.topology = topology;
        this.marks = marks;
        snapshot.gateways().forEach(g -> gateways.put(g.name(), g));
        for (EndpointSlice slice : snapshot.endpointSlices()) {
            endpoints.computeIfAbsent(slice.policy(), k -> new ArrayList<>()).addAll(slice.endpoints());
        }
    }

    List<PolicyPlan> plans() {
        List<PolicyPlan> out = new ArrayList<>();
        for (Policy p : snapshot.policies().stream().sorted(RULE_ORDER).toList()) {
            Gateway g = gatewayOf(p);
            if (g == null) {
                continue;
            }
            List<PolicyPlan> mine = new ArrayList<>();
            try {
                for (Family f : Family.values()) {
                    if (snapshot.settings().enabled(f)) {
                        PolicyPlan plan = plan(p, g, f);
                        if (plan != null) {
                            mine.add(plan);
                        }
                    }
                }
                out.addAll(mine);
            } catch (RuntimeException e) {
                // Vetting should have caught it; if a rule was missed, this policy is the only one to pay.
                failed.add(new SnapshotVetting.Skipped("EgressGatewayPolicy", p.name(),
                        List.of(new Violation("spec", "", "could not be planned: " + e.getMessage()))));
            }
        }
        return out;
    }

    /** Policies left out because planning them failed (a rule vetting does not know yet). */
    List<SnapshotVetting.Skipped> failed() {
        return List.copyOf(failed);
    }

    private Gateway gatewayOf(Policy p) {
        String name = p.egressGatewayName();
        if (name == null || name.isBlank()) {
            return snapshot.gateways().stream().filter(Gateway::clusterDefault).findFirst().orElse(null);
        }
        return gateways.get(name);
    }

    static EgressIpMode mode(Policy p, Gateway g) {
        if (p.egressIP() != null && p.egressIP().mode() != null) {
            return p.egressIP().mode();
        }
        return g.ippools() == null || g.ippools().isEmpty() ? EgressIpMode.NodeIP : EgressIpMode.EgressIP;
    }

    private PolicyPlan plan(Policy p, Gateway g, Family f) {
        EgressIpMode mode = mode(p, g);
        if (mode == EgressIpMode.EgressIP && poolOf(g, f).isEmpty()) {
            return null;
        }
        boolean excludeCluster = p.destCIDR().isEmpty();
        if (excludeCluster && (snapshot.clusterInfo() == null || !snapshot.clusterInfo().complete())) {
            return null;
        }
        if (!excludeCluster && p.destCIDR().stream().noneMatch(c -> Addr.familyOf(c) == f)) {
            return null;
        }
        String eip = mode == EgressIpMode.EgressIP && p.status() != null
                ? (f == Family.IPV4 ? p.status().eipV4() : p.status().eipV6()) : null;
        boolean activeActive = mode != EgressIpMode.EgressIP && g.status() != null
                && g.status().forwardMethod() == ForwardMethod.ACTIVE_ACTIVE && g.status().mark() != null;
        List<String> ready = Topology.readyNodes(g);
        Snat snat = null;
        Decision decision;
        if (mode == EgressIpMode.EgressIP && !Underlay.present(eip)) {
            decision = noGateway();
        } else if (activeActive) {
            if (ready.contains(topology.self)) {
                decision = new Decision(Decision.Type.CLAIM, marks.base());
                snat = new Snat(mode, null);
            } else if (ready.stream().anyMatch(n -> topology.reachable(n, f).isPresent())) {
                decision = new Decision(Decision.Type.REMOTE, g.status().mark());
            } else {
                decision = unplaced(ready);
            }
        } else {
            String node = p.status() == null ? null : p.status().node();
            if (ready.contains(topology.self) && (topology.self.equals(node) || assignedHere(p, g, f, eip))) {
                decision = new Decision(Decision.Type.CLAIM, marks.base());
                snat = new Snat(mode, eip == null ? null : Addr.canonical(eip));
            } else if (node == null || !ready.contains(node)) {
                decision = unplaced(ready);
            } else {
                decision = topology.reachable(node, f)
                        .map(peer -> new Decision(Decision.Type.REMOTE, peer.mark()))
                        .orElseGet(() -> unplaced(ready));
            }
        }
        if (!decision.marks() && snat == null) {
            return null;
        }
        List<String> src = sources(p, f, snat != null);
        if (src.isEmpty()) {
            return null;
        }
        TreeSet<String> dst = new TreeSet<>();
        if (excludeCluster) {
            dst.addAll(Addr.members(f == Family.IPV4 ? "0.0.0.0/0" : "::/0"));
        } else {
            for (String c : p.destCIDR()) {
                if (Addr.familyOf(c) == f) {
                    dst.addAll(Addr.members(c));
                }
            }
        }
        String hash = hash(p.name());
        return new PolicyPlan(p.name(), p.priority(), f, "egress-src-" + f.suffix() + "-" + hash, src,
                "egress-dst-" + f.suffix() + "-" + hash, List.copyOf(dst), excludeCluster, decision, snat);
    }

    /**
     * The policy has no usable node here. While its gateway still lists a Ready node the policy is
     * being moved (or its node is out of this node's reach): hold it in the fail-closed table rather
     * than let it leave with this node's address. Only a gateway without any Ready node falls back
     * to {@link #noGateway()}. docs/failover.md gives the sequence of a move and the argument.
     */
    private Decision unplaced(List<String> ready) {
        return ready.isEmpty() ? noGateway() : new Decision(Decision.Type.HOLD, marks.failClosed());
    }

    /**
     * The gateway's status (written before the policy's in a controller pass) already lists this
     * node, Ready, as holding the policy's EIP: claim and SNAT it here now, so this node is
     * programmed as early as possible when sources turn to it. Only for the EIP the policy's status
     * names, so this node never SNATs to an address the sources do not expect.
     */
    private boolean assignedHere(Policy p, Gateway g, Family f, String eip) {
        if (g.status() == null || !Underlay.present(eip)) {
            return false;
        }
        String want = Addr.canonical(eip);
        return g.status().nodeList().stream().filter(n -> n.name().equals(topology.self)).flatMap(n -> n.eips().stream())
                .anyMatch(a -> a.policies().contains(p.name())
                        && want.equals(Underlay.present(f == Family.IPV4 ? a.ipv4() : a.ipv6())
                                ? Addr.canonical(f == Family.IPV4 ? a.ipv4() : a.ipv6()) : null));
    }

    private Decision noGateway() {
        return snapshot.settings().failClosed() ? new Decision(Decision.Type.FAIL_CLOSED, marks.failClosed()) : Decision.NONE;
    }

    private static List<String> poolOf(Gateway g, Family f) {
        if (g.ippools() == null) {
            return List.of();
        }
        return f == Family.IPV4 ? g.ippools().ipv4() : g.ippools().ipv6();
    }

    /**
     * A source node only needs the policy's pods that run on it (their packets pass its PREROUTING);
     * the node carrying the policy needs all of them for the SNAT rule.
     */
    private List<String> sources(Policy p, Family f, boolean carried) {
        TreeSet<String> out = new TreeSet<>();
        if (p.appliedTo() != null && p.appliedTo().podSubnet() != null) {
            for (String c : p.appliedTo().podSubnet()) {
                if (Addr.familyOf(c) == f) {
                    out.addAll(Addr.members(c));
                }
            }
            return List.copyOf(out);
        }
        for (Endpoint e : endpoints.getOrDefault(p.name(), List.of())) {
            if (carried || e.node() == null || e.node().equals(topology.self)) {
                for (String ip : f == Family.IPV4 ? e.ipv4() : e.ipv6()) {
                    if (Addr.familyOf(ip) == f) {
                        out.addAll(Addr.members(ip));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** 16 hex characters: {@code egress-src-v4-} + 16 = 30, under ipset's 31-character limit. */
    static String hash(String policyName) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(policyName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
