package io.egressgateway.application.controller;

import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.alloc.Allocation;
import io.egressgateway.domain.alloc.MarkAllocator;
import io.egressgateway.domain.alloc.TunnelIpAllocator;
import io.egressgateway.domain.alloc.TunnelMacAllocator;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Node to EgressNode, pure: which EgressNodes to create and release, and the controller's fields of
 * every remaining one. Allocations are recomputed from the statuses every pass (the allocators keep
 * valid existing claims), which is what "rebuild the allocators on start" amounts to.
 * Marks for active-active gateways come from the same space as the nodes' marks.
 */
public final class EgressNodePlanner {
    public static final String ALLOCATED = "Allocated";
    public static final String TUNNEL_READY = "TunnelReady";

    public record Plan(List<String> create, List<String> release, List<EgressNode> desired,
                       Map<String, Long> gatewayMarks, List<String> notes) {
    }

    private final Settings settings;
    private final TunnelIpAllocator v4;
    private final TunnelIpAllocator v6;
    private final MarkAllocator marks;

    public EgressNodePlanner(Settings settings) {
        this.settings = settings;
        this.v4 = settings.enableIPv4() ? TunnelIpAllocator.parse(settings.tunnel().ipv4CIDR()).orElseThrow() : null;
        this.v6 = settings.enableIPv6() ? TunnelIpAllocator.parse(settings.tunnel().ipv6CIDR()).orElseThrow() : null;
        this.marks = MarkAllocator.of(settings.mark().base(), settings.mark().mask(), settings.mark().reservedMask())
                .orElseThrow();
    }

    public Plan plan(List<ClusterNode> nodes, List<EgressNode> egressNodes, Set<String> deleting,
                     List<Gateway> gateways, Set<String> heartbeatStale, Instant now) {
        Set<String> nodeNames = new TreeSet<>();
        nodes.forEach(n -> nodeNames.add(n.name()));
        Map<String, EgressNode> existing = new TreeMap<>();
        egressNodes.forEach(e -> existing.put(e.name(), e));
        List<String> create = nodeNames.stream().filter(n -> !existing.containsKey(n)).toList();
        List<String> release = existing.keySet().stream()
                .filter(n -> !nodeNames.contains(n) || deleting.contains(n)).toList();
        List<String> keep = existing.keySet().stream().filter(n -> !release.contains(n)).toList();

        Map<String, String> claimV4 = new HashMap<>();
        Map<String, String> claimV6 = new HashMap<>();
        Map<String, String> claimMac = new HashMap<>();
        Map<String, Long> claimMark = new HashMap<>();
        for (String n : keep) {
            EgressNode e = existing.get(n);
            putIf(claimV4, n, e.tunnelIPv4());
            putIf(claimV6, n, e.tunnelIPv6());
            putIf(claimMac, n, e.tunnelMac());
            if (e.mark() != null) {
                claimMark.put(MarkAllocator.nodeKey(n), e.mark());
            }
        }
        List<String> markKeys = new ArrayList<>(keep.stream().map(MarkAllocator::nodeKey).toList());
        if (settings.forwardMethod() == ForwardMethod.ACTIVE_ACTIVE) {
            for (Gateway g : gateways) {
                markKeys.add(MarkAllocator.gatewayKey(g.name()));
                if (g.status() != null && g.status().mark() != null) {
                    claimMark.put(MarkAllocator.gatewayKey(g.name()), g.status().mark());
                }
            }
        }
        List<String> notes = new ArrayList<>();
        Allocation<String> a4 = v4 == null ? null : note(notes, "tunnel IPv4", v4.allocate(keep, claimV4));
        Allocation<String> a6 = v6 == null ? null : note(notes, "tunnel IPv6", v6.allocate(keep, claimV6));
        Allocation<String> mac = note(notes, "tunnel MAC", TunnelMacAllocator.allocate(keep, claimMac));
        Allocation<Long> mk = note(notes, "mark", marks.allocate(markKeys, claimMark));

        List<EgressNode> desired = new ArrayList<>();
        for (String n : keep) {
            EgressNode e = existing.get(n);
            List<String> missing = new ArrayList<>();
            String ip4 = pick(a4, n, missing, "tunnel IPv4 from " + settings.tunnel().ipv4CIDR());
            String ip6 = pick(a6, n, missing, "tunnel IPv6 from " + settings.tunnel().ipv6CIDR());
            String m = pick(mac, n, missing, "tunnel MAC");
            Long mark = mk.assigned().get(MarkAllocator.nodeKey(n));
            if (mark == null) {
                missing.add("mark (all " + marks.capacity() + " marks of " + String.format("0x%08x", marks.base())
                        + " are taken)");
            }
            boolean allocated = missing.isEmpty();
            EgressNodePhase phase;
            if (!allocated) {
                phase = EgressNodePhase.Failed;
            } else if (heartbeatStale.contains(n)) {
                phase = EgressNodePhase.HeartbeatTimeout;
            } else if (tunnelReady(e)) {
                phase = EgressNodePhase.Succeeded;
            } else {
                phase = EgressNodePhase.Init;
            }
            Condition cond = Condition.of(ALLOCATED, allocated, allocated ? "Allocated" : "Exhausted",
                    allocated ? "tunnel addresses, MAC and mark allocated" : "no free " + String.join(", ", missing),
                    e.generation(), e.conditions(), now);
            List<Condition> conds = new ArrayList<>(e.conditions().stream()
                    .filter(c -> TUNNEL_READY.equals(c.type())).toList());
            conds.add(cond);
            desired.add(new EgressNode(n, e.generation(), phase, ip4, ip6, m, mark, e.physicalInterface(),
                    e.physicalInterfaceIPv4(), e.physicalInterfaceIPv6(), e.interfaces(), e.programmed(), conds));
        }
        SortedMap<String, Long> gatewayMarks = new TreeMap<>();
        for (Gateway g : gateways) {
            Long gm = mk.assigned().get(MarkAllocator.gatewayKey(g.name()));
            if (gm != null) {
                gatewayMarks.put(g.name(), gm);
            }
        }
        return new Plan(create, release, desired, gatewayMarks, notes);
    }

    private static boolean tunnelReady(EgressNode e) {
        return e.conditions().stream().anyMatch(c -> TUNNEL_READY.equals(c.type()) && c.status() == Condition.Status.True);
    }

    private static String pick(Allocation<String> a, String n, List<String> missing, String what) {
        if (a == null) {
            return null;
        }
        String v = a.assigned().get(n);
        if (v == null) {
            missing.add(what);
        }
        return v;
    }

    private static <V> Allocation<V> note(List<String> notes, String what, Allocation<V> a) {
        a.conflicts().forEach(c -> notes.add(what + ": " + c.describe()));
        a.invalid().forEach(i -> notes.add(what + ": node=" + i.key() + " value=" + i.value() + " dropped: " + i.why()));
        return a;
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** Compares what the controller owns, conditions without their transition time. */
    static boolean sameControllerFields(EgressNode a, EgressNode b) {
        if (a == null || a.phase() != b.phase() || !java.util.Objects.equals(a.tunnelIPv4(), b.tunnelIPv4())
                || !java.util.Objects.equals(a.tunnelIPv6(), b.tunnelIPv6())
                || !java.util.Objects.equals(a.tunnelMac(), b.tunnelMac())
                || !java.util.Objects.equals(a.mark(), b.mark())) {
            return false;
        }
        List<Condition> x = a.conditions().stream().filter(c -> !TUNNEL_READY.equals(c.type()))
                .sorted(java.util.Comparator.comparing(Condition::type)).toList();
        List<Condition> y = b.conditions().stream().filter(c -> !TUNNEL_READY.equals(c.type()))
                .sorted(java.util.Comparator.comparing(Condition::type)).toList();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).sameAs(y.get(i))) {
                return false;
            }
        }
        return true;
    }
}
