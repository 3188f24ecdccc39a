package io.egressgateway.application.admission;

import io.egressgateway.application.port.in.FieldViolation;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The EgressGateway rules of spec/api.md: selector, pool syntax and family, default EIPs inside
 * their pool, no overlap with another gateway's pool, one cluster default, no removal of IPs in use.
 */
final class GatewayRules {
    private GatewayRules() {
    }

    /** Every violation of {@code gw}; {@code old} is null on CREATE. */
    static List<FieldViolation> validate(Gateway gw, Gateway old, List<Gateway> gateways, List<Policy> policies) {
        List<FieldViolation> out = new ArrayList<>();
        selector(gw.nodeSelector(), out);
        IpPools pools = gw.ippools() == null ? IpPools.empty() : gw.ippools();
        List<IpMath.Range> v4 = entries(pools.ipv4(), Family.IPV4, "spec.ippools.ipv4", out);
        List<IpMath.Range> v6 = entries(pools.ipv6(), Family.IPV6, "spec.ippools.ipv6", out);
        defaultEip(pools.ipv4DefaultEIP(), Family.IPV4, v4, pools.ipv4(), "spec.ippools.ipv4DefaultEIP", out);
        defaultEip(pools.ipv6DefaultEIP(), Family.IPV6, v6, pools.ipv6(), "spec.ippools.ipv6DefaultEIP", out);
        for (Gateway other : gateways) {
            if (other.name().equals(gw.name())) {
                continue;
            }
            if (gw.clusterDefault() && other.clusterDefault()) {
                out.add(new FieldViolation("spec.clusterDefault", "true",
                        "gateway " + other.name() + " is already the cluster default; at most one may be"));
            }
            IpPools op = other.ippools() == null ? IpPools.empty() : other.ippools();
            overlaps(pools.ipv4(), v4, op.ipv4(), Family.IPV4, other.name(), "spec.ippools.ipv4", out);
            overlaps(pools.ipv6(), v6, op.ipv6(), Family.IPV6, other.name(), "spec.ippools.ipv6", out);
        }
        if (old != null) {
            inUse(gw, old, v4, v6, policies, out);
        }
        return out;
    }

    static void selector(LabelSelector s, List<FieldViolation> out) {
        if (s == null) {
            out.add(new FieldViolation("spec.nodeSelector", "", "is required"));
            return;
        }
        if (s.isEmpty()) {
            out.add(new FieldViolation("spec.nodeSelector", "{}",
                    "must not be empty: an empty selector would make every node a gateway"));
        }
        requirements(s, "spec.nodeSelector", out);
    }

    static void requirements(LabelSelector s, String field, List<FieldViolation> out) {
        for (int i = 0; i < s.matchExpressions().size(); i++) {
            LabelSelector.Requirement r = s.matchExpressions().get(i);
            String f = field + ".matchExpressions[" + i + "]";
            boolean needsValues = r.operator() == LabelSelector.Requirement.Operator.In
                    || r.operator() == LabelSelector.Requirement.Operator.NotIn;
            if (needsValues && r.values().isEmpty()) {
                out.add(new FieldViolation(f + ".values", "[]", "operator " + r.operator() + " needs values"));
            } else if (!needsValues && !r.values().isEmpty()) {
                out.add(new FieldViolation(f + ".values", String.join(",", r.values()),
                        "operator " + r.operator() + " takes no values"));
            }
            if (r.key() == null || r.key().isBlank()) {
                out.add(new FieldViolation(f + ".key", "", "is required"));
            }
        }
    }

    private static List<IpMath.Range> entries(List<String> list, Family family, String field,
                                              List<FieldViolation> out) {
        List<IpMath.Range> ranges = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                IpMath.Range r = IpMath.parsePoolEntry(list.get(i), family);
                for (int j = 0; j < ranges.size(); j++) {
                    if (ranges.get(j) != null && ranges.get(j).overlaps(r)) {
                        out.add(new FieldViolation(field + "[" + i + "]", list.get(i),
                                "overlaps entry " + j + " (" + list.get(j) + ") of the same pool"));
                    }
                }
                ranges.add(r);
            } catch (IllegalArgumentException e) {
                out.add(new FieldViolation(field + "[" + i + "]", list.get(i), e.getMessage()));
                ranges.add(null);
            }
        }
        return ranges;
    }

    private static void defaultEip(String eip, Family family, List<IpMath.Range> pool, List<String> raw,
                                   String field, List<FieldViolation> out) {
        if (eip == null || eip.isEmpty()) {
            return;
        }
        IpMath.Addr a = IpMath.parseAddress(eip);
        if (a == null) {
            out.add(new FieldViolation(field, eip, "not an IP address"));
        } else if (a.family() != family) {
            out.add(new FieldViolation(field, eip, "is " + IpMath.name(a.family()) + ", expected " + IpMath.name(family)));
        } else if (pool.stream().noneMatch(r -> r != null && r.contains(a))) {
            out.add(new FieldViolation(field, eip, raw.isEmpty() ? "the " + IpMath.name(family) + " pool is empty"
                    : "not inside the " + IpMath.name(family) + " pool " + raw));
        }
    }

    private static void overlaps(List<String> mine, List<IpMath.Range> ranges, List<String> theirs, Family family,
                                 String otherName, String field, List<FieldViolation> out) {
        for (String t : theirs) {
            IpMath.Range tr;
            try {
                tr = IpMath.parsePoolEntry(t, family);
            } catch (IllegalArgumentException e) {
                continue; // the other gateway's own problem, reported when it is written
            }
            for (int i = 0; i < ranges.size(); i++) {
                if (ranges.get(i) != null && ranges.get(i).overlaps(tr)) {
                    out.add(new FieldViolation(field + "[" + i + "]", mine.get(i),
                            "overlaps " + t + " of gateway " + otherName));
                }
            }
        }
    }

    /** IPs the controller placed or policies pinned must stay in the pool while they are in use. */
    private static void inUse(Gateway gw, Gateway old, List<IpMath.Range> v4, List<IpMath.Range> v6,
                              List<Policy> policies, List<FieldViolation> out) {
        Map<String, TreeSet<String>> users = new TreeMap<>();
        if (old.status() != null) {
            for (GatewayNode n : old.status().nodeList()) {
                for (EipAssignment e : n.eips()) {
                    for (String ip : new String[] {e.ipv4(), e.ipv6()}) {
                        if (ip != null && !ip.isEmpty()) {
                            users.computeIfAbsent(ip, k -> new TreeSet<>()).addAll(e.policies());
                        }
                    }
                }
            }
        }
        for (Policy p : policies) {
            if (!Objects.equals(p.egressGatewayName(), gw.name())) {
                continue;
            }
            List<String> ips = new ArrayList<>();
            if (p.egressIP() != null) {
                ips.add(p.egressIP().ipv4());
                ips.add(p.egressIP().ipv6());
            }
            if (p.status() != null) {
                ips.add(p.status().eipV4());
                ips.add(p.status().eipV6());
            }
            for (String ip : ips) {
                if (ip != null && !ip.isEmpty()) {
                    users.computeIfAbsent(ip, k -> new TreeSet<>()).add(p.name());
                }
            }
        }
        for (Map.Entry<String, TreeSet<String>> e : users.entrySet()) {
            IpMath.Addr a = IpMath.parseAddress(e.getKey());
            if (a == null) {
                continue;
            }
            List<IpMath.Range> pool = a.family() == Family.IPV4 ? v4 : v6;
            if (pool.contains(null)) {
                continue; // a pool entry did not parse: reported already, and containment is unknown
            }
            if (pool.stream().noneMatch(r -> r != null && r.contains(a))) {
                String field = a.family() == Family.IPV4 ? "spec.ippools.ipv4" : "spec.ippools.ipv6";
                String who = e.getValue().isEmpty() ? "placed on a gateway node" : "used by policy "
                        + String.join(", ", e.getValue());
                out.add(new FieldViolation(field, e.getKey(), "may not be removed while in use: " + who));
            }
        }
    }
}
