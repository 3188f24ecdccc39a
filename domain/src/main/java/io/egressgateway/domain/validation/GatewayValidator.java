package io.egressgateway.domain.validation;

import io.egressgateway.domain.alloc.GatewayPools;
import io.egressgateway.domain.election.GatewayElection;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.IpRange;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Admission rules for EgressGateway (api.md, Validation): a non-empty nodeSelector; every pool
 * entry parses in its family; default EIPs inside their pool; no overlap with another gateway's
 * pool; at most one cluster default; an update keeps every IP that is in use.
 */
public final class GatewayValidator {
    private GatewayValidator() {
    }

    /**
     * @param candidate the object as it would be stored
     * @param old       the stored object on update, empty on create
     * @param others    every other gateway (the candidate itself, by name, is skipped)
     * @param policies  every policy (those using this gateway are considered for in-use IPs)
     */
    public static List<Violation> validate(Gateway candidate, Optional<Gateway> old, List<Gateway> others,
                                           List<Policy> policies) {
        return validate(candidate, old, others, policies, NetworkContext.unknown());
    }

    /** As {@link #validate(Gateway, Optional, List, List)}, with what is known about the network. */
    public static List<Violation> validate(Gateway candidate, Optional<Gateway> old, List<Gateway> others,
                                           List<Policy> policies, NetworkContext network) {
        List<Violation> out = new ArrayList<>();
        check(candidate, network, others, out);
        if (candidate.clusterDefault()) {
            others.stream().filter(g -> !g.name().equals(candidate.name()) && g.clusterDefault())
                    .map(Gateway::name).sorted().forEach(g -> out.add(new Violation("spec.clusterDefault", "true",
                            "gateway " + g + " is already the cluster default; at most one gateway may be")));
        }
        old.ifPresent(o -> checkInUse(candidate, o, policies, out));
        return out;
    }

    /**
     * The rules about the object alone (no other object, no history): selector, pool syntax,
     * dangerous pool addresses, default EIPs in their pool. The controller and the agents skip a
     * gateway for which this is not empty; admission refuses it.
     */
    public static List<Violation> content(Gateway candidate, NetworkContext network) {
        List<Violation> out = new ArrayList<>();
        check(candidate, network, null, out);
        return out;
    }

    /** The content rules, and pool overlaps when {@code others} is given, in field order. */
    private static void check(Gateway candidate, NetworkContext network, List<Gateway> others, List<Violation> out) {
        if (candidate.nodeSelector() == null || candidate.nodeSelector().isEmpty()) {
            out.add(new Violation("spec.nodeSelector", "", "is required and must select nodes (matchLabels or matchExpressions)"));
        } else {
            out.addAll(Selectors.validate("spec.nodeSelector", candidate.nodeSelector()));
        }
        IpPools pools = candidate.ippools() == null ? IpPools.empty() : candidate.ippools();
        for (Family f : Family.values()) {
            List<String> entries = f == Family.IPV4 ? pools.ipv4() : pools.ipv6();
            SortedMap<Integer, IpPool.Entry> parsed = entries(f, entries, out, network);
            checkDefault(f, pools, List.copyOf(parsed.values()), out);
            if (others != null) {
                checkOverlaps(candidate, f, parsed, others, out);
            }
        }
    }

    /**
     * The policies that still use a gateway, sorted: the controller holds the gateway's deletion
     * (finalizer) while this is non-empty, and says which policies in the gateway's status.
     */
    public static List<String> referencedBy(Gateway gateway, List<Policy> policies) {
        return policies.stream().filter(p -> GatewayElection.uses(p, gateway)).map(Policy::name).sorted().toList();
    }

    private static String path(Family f) {
        return "spec.ippools." + (f == Family.IPV4 ? "ipv4" : "ipv6");
    }

    private static SortedMap<Integer, IpPool.Entry> entries(Family f, List<String> entries, List<Violation> out,
                                                            NetworkContext network) {
        SortedMap<Integer, IpPool.Entry> parsed = new TreeMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Parsed<IpPool.Entry> e = IpPool.parseEntry(entries.get(i), f);
            Optional<String> danger = e.isOk() ? AddressRules.poolEntry(e.orElseThrow(), network) : Optional.empty();
            if (danger.isPresent()) {
                out.add(new Violation(path(f) + "[" + i + "]", entries.get(i), "'" + entries.get(i) + "' " + danger.get()));
            } else if (e.isOk()) {
                parsed.put(i, e.orElseThrow());
            } else {
                out.add(new Violation(path(f) + "[" + i + "]", entries.get(i), e.message()));
            }
        }
        return parsed;
    }

    private static void checkDefault(Family f, IpPools pools, List<IpPool.Entry> parsed, List<Violation> out) {
        String d = f == Family.IPV4 ? pools.ipv4DefaultEIP() : pools.ipv6DefaultEIP();
        if (d == null || d.isEmpty()) {
            return;
        }
        String field = path(f) + "DefaultEIP";
        Parsed<IpAddress> a = IpAddress.parse(d, f);
        if (!a.isOk()) {
            out.add(new Violation(field, d, a.message()));
            return;
        }
        IpPool pool = IpPool.of(f, parsed.stream().map(IpPool.Entry::range).toList());
        if (!pool.contains(a.orElseThrow())) {
            out.add(new Violation(field, d, d + " is not in the " + f.label() + " pool"
                    + (pool.isEmpty() ? " (the pool is empty)" : " " + pool.text())));
        }
    }

    private static void checkOverlaps(Gateway candidate, Family f, SortedMap<Integer, IpPool.Entry> parsed,
                                      List<Gateway> others, List<Violation> out) {
        List<Gateway> sorted = others.stream().filter(g -> !g.name().equals(candidate.name()))
                .sorted(Comparator.comparing(Gateway::name)).toList();
        for (Gateway other : sorted) {
            IpPool theirs = GatewayPools.of(other.ippools()).pool(f);
            for (Map.Entry<Integer, IpPool.Entry> ie : parsed.entrySet()) {
                IpPool.Entry e = ie.getValue();
                List<IpRange> common = IpPool.of(f, List.of(e.range())).overlap(theirs);
                if (!common.isEmpty()) {
                    out.add(new Violation(path(f) + "[" + ie.getKey() + "]", e.text(),
                            "overlaps the pool of gateway " + other.name() + " at "
                                    + String.join(",", common.stream().map(IpRange::text).toList())));
                }
            }
        }
    }

    private static void checkInUse(Gateway candidate, Gateway old, List<Policy> policies, List<Violation> out) {
        GatewayPools next = GatewayPools.of(candidate.ippools());
        SortedMap<IpAddress, TreeSet<String>> inUse = new TreeMap<>();
        for (Policy p : policies) {
            if (!GatewayElection.uses(p, old)) {
                continue;
            }
            EgressIpSpec spec = p.egressIP();
            if (spec != null) {
                use(inUse, spec.ipv4(), "policy " + p.name());
                use(inUse, spec.ipv6(), "policy " + p.name());
            }
            if (p.status() != null) {
                use(inUse, p.status().eipV4(), "policy " + p.name());
                use(inUse, p.status().eipV6(), "policy " + p.name());
            }
        }
        if (old.status() != null) {
            for (GatewayNode n : old.status().nodeList()) {
                for (EipAssignment a : n.eips()) {
                    for (String p : a.policies().isEmpty() ? List.of("node " + n.name()) : a.policies().stream()
                            .map(x -> "policy " + x).toList()) {
                        use(inUse, a.ipv4(), p);
                        use(inUse, a.ipv6(), p);
                    }
                }
            }
        }
        for (Map.Entry<IpAddress, TreeSet<String>> e : inUse.entrySet()) {
            IpAddress ip = e.getKey();
            if (!next.pool(ip.family()).contains(ip)) {
                out.add(new Violation(path(ip.family()), ip.text(), ip.text() + " is in use by "
                        + String.join(", ", e.getValue()) + " and cannot be removed from the pool"));
            }
        }
    }

    private static void use(SortedMap<IpAddress, TreeSet<String>> inUse, String text, String by) {
        if (text == null || text.isEmpty()) {
            return;
        }
        IpAddress.parse(text).map(a -> inUse.computeIfAbsent(a, k -> new TreeSet<>()).add(by));
    }
}
