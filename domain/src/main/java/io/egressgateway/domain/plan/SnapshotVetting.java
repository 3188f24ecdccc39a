package io.egressgateway.domain.plan;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.validation.AddressRules;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.validation.EgressNodeValidator;
import io.egressgateway.domain.validation.GatewayValidator;
import io.egressgateway.domain.validation.NetworkContext;
import io.egressgateway.domain.validation.PolicyValidator;
import io.egressgateway.domain.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The planner's gate: every object of a snapshot is checked on its own, with the same domain
 * validators the controller and admission use, before anything is planned from it. A policy or a
 * gateway that breaks a rule is left out whole (the controller leaves it out too and says why in a
 * condition); an EgressNode keeps its good fields and loses its bad ones (a bad underlay address
 * only removes that peer's underlay); a bad endpoint address is dropped; a cluster info with an
 * entry that does not parse counts as incomplete (policies with an empty destCIDR wait). So what is
 * left always plans, and one bad object changes nothing for the others.
 */
public final class SnapshotVetting {
    private SnapshotVetting() {
    }

    /** One object (or field) left out, and why: "kind name: field: "value": message; ...". */
    public record Skipped(String kind, String name, List<Violation> violations) {
        public Skipped {
            violations = List.copyOf(violations);
        }

        public String describe() {
            StringBuilder b = new StringBuilder(kind).append(' ').append(name).append(": ");
            for (int i = 0; i < violations.size(); i++) {
                Violation v = violations.get(i);
                b.append(i == 0 ? "" : "; ").append(v.field()).append(": \"").append(v.value()).append("\": ")
                        .append(v.message());
            }
            return b.toString();
        }
    }

    /** The snapshot with what is left, and what was left out. */
    public record Vetted(NodeSnapshot snapshot, List<Skipped> skipped) {
        public Vetted {
            skipped = List.copyOf(skipped);
        }

        /** Names of the policies left out whole. */
        public Set<String> skippedPolicies() {
            return Set.copyOf(skipped.stream().filter(s -> s.kind().equals("EgressGatewayPolicy"))
                    .map(Skipped::name).toList());
        }
    }

    public static Vetted vet(NodeSnapshot s, NetworkContext base) {
        List<Skipped> skipped = new ArrayList<>();
        ClusterInfo info = clusterInfo(s.clusterInfo(), base, skipped);
        NetworkContext ctx = base.with(info);
        List<Policy> policies = new ArrayList<>();
        for (Policy p : s.policies()) {
            List<Violation> v = new ArrayList<>(PolicyValidator.content(p, ctx));
            if (p.status() != null) {
                address("status.eip.ipv4", p.status().eipV4(), Family.IPV4, v);
                address("status.eip.ipv6", p.status().eipV6(), Family.IPV6, v);
            }
            keepOrSkip("EgressGatewayPolicy", p.name(), p, v, policies, skipped);
        }
        List<Gateway> gateways = new ArrayList<>();
        for (Gateway g : s.gateways()) {
            List<Violation> v = new ArrayList<>(GatewayValidator.content(g, ctx));
            if (g.status() != null) {
                for (GatewayNode n : g.status().nodeList()) {
                    for (EipAssignment a : n.eips()) {
                        address("status.nodeList[" + n.name() + "].eips.ipv4", a.ipv4(), Family.IPV4, v);
                        address("status.nodeList[" + n.name() + "].eips.ipv6", a.ipv6(), Family.IPV6, v);
                    }
                }
            }
            keepOrSkip("EgressGateway", g.name(), g, v, gateways, skipped);
        }
        List<EgressNode> nodes = new ArrayList<>();
        for (EgressNode n : s.egressNodes()) {
            List<Violation> v = EgressNodeValidator.content(n);
            if (!v.isEmpty()) {
                skipped.add(new Skipped("EgressNode", n.name(), v));
            }
            nodes.add(v.isEmpty() ? n : withoutBadFields(n, v));
        }
        List<EndpointSlice> slices = new ArrayList<>();
        for (EndpointSlice sl : s.endpointSlices()) {
            slices.add(slice(sl, skipped));
        }
        return new Vetted(new NodeSnapshot(s.nodeName(), s.facts(), nodes, gateways, policies, slices, info,
                s.settings(), s.observedSysctls()), skipped);
    }

    private static <T> void keepOrSkip(String kind, String name, T t, List<Violation> v, List<T> kept,
                                       List<Skipped> skipped) {
        if (v.isEmpty()) {
            kept.add(t);
        } else {
            skipped.add(new Skipped(kind, name, v));
        }
    }

    private static void address(String field, String text, Family f, List<Violation> out) {
        if (text == null || text.isBlank()) {
            return;
        }
        var a = IpAddress.parse(text, f);
        if (!a.isOk()) {
            out.add(new Violation(field, text, a.message()));
        }
    }

    /** A field the validator named is blanked: a peer without a usable underlay or MAC is simply no peer. */
    private static EgressNode withoutBadFields(EgressNode n, List<Violation> v) {
        java.util.function.Predicate<String> bad = f -> v.stream().anyMatch(x -> x.field().equals(f));
        return new EgressNode(n.name(), n.generation(), n.phase(),
                bad.test("status.vxlanIPv4IP") ? null : n.tunnelIPv4(),
                bad.test("status.vxlanIPv6IP") ? null : n.tunnelIPv6(),
                bad.test("status.tunnelMac") ? null : n.tunnelMac(), n.mark(), n.physicalInterface(),
                bad.test("status.physicalInterfaceIPv4") ? null : n.physicalInterfaceIPv4(),
                bad.test("status.physicalInterfaceIPv6") ? null : n.physicalInterfaceIPv6(),
                n.interfaces(), n.programmed(), n.conditions());
    }

    private static EndpointSlice slice(EndpointSlice sl, List<Skipped> skipped) {
        List<Violation> v = new ArrayList<>();
        List<Endpoint> eps = new ArrayList<>();
        for (Endpoint e : sl.endpoints()) {
            List<String> v4 = goodAddresses(e.ipv4(), Family.IPV4, "endpoints[" + e.namespace() + "/" + e.pod() + "].ipv4", v);
            List<String> v6 = goodAddresses(e.ipv6(), Family.IPV6, "endpoints[" + e.namespace() + "/" + e.pod() + "].ipv6", v);
            eps.add(v4.size() == e.ipv4().size() && v6.size() == e.ipv6().size() ? e
                    : new Endpoint(e.namespace(), e.pod(), e.node(), v4, v6));
        }
        if (v.isEmpty()) {
            return sl;
        }
        skipped.add(new Skipped("EgressEndpointSlice", sl.name(), v));
        return new EndpointSlice(sl.name(), sl.policy(), eps);
    }

    private static List<String> goodAddresses(List<String> ips, Family f, String field, List<Violation> v) {
        List<String> out = new ArrayList<>();
        for (String ip : ips) {
            var a = ip == null ? null : IpAddress.parse(ip, f);
            if (a != null && a.isOk()) {
                out.add(ip);
            } else {
                v.add(new Violation(field, String.valueOf(ip), a == null ? "is null" : a.message()));
            }
        }
        return out;
    }

    /**
     * The cluster info as the agent may use it: entries that do not parse are dropped and it then
     * counts as incomplete; EIP pool entries the address rules refuse (a /0) are dropped too, because
     * the agent owns, and deletes, every proxy ARP/NDP entry inside the pools.
     */
    public static ClusterInfo clusterInfo(ClusterInfo ci, NetworkContext base) {
        return clusterInfo(ci, base, new ArrayList<>());
    }

    private static ClusterInfo clusterInfo(ClusterInfo ci, NetworkContext base, List<Skipped> skipped) {
        if (ci == null) {
            return null;
        }
        NetworkContext ctx = base.with(ci);
        List<Violation> v = new ArrayList<>();
        List<List<String>> lists = new ArrayList<>();
        String[] names = {"podCIDRs", "serviceCIDRs", "nodeIPs", "tunnelCIDRs", "eipPools", "always", "extraCIDRs"};
        List<List<String>> in = List.of(ci.podCIDRs(), ci.serviceCIDRs(), ci.nodeIPs(), ci.tunnelCIDRs(), ci.eipPools(),
                ci.always(), ci.extraCIDRs());
        for (int i = 0; i < names.length; i++) {
            List<String> good = new ArrayList<>();
            for (String c : in.get(i)) {
                if (!network(c)) {
                    v.add(new Violation("status." + names[i], String.valueOf(c), "is not an address or a CIDR"));
                } else if (i == 4 && dangerousPool(c, ctx).isPresent()) {
                    skipped.add(new Skipped("EgressClusterInfo", "default", List.of(new Violation("status.eipPools",
                            c, "'" + c + "' " + dangerousPool(c, ctx).get() + "; left out of the owned pools"))));
                } else {
                    good.add(c);
                }
            }
            lists.add(good);
        }
        if (v.isEmpty()) {
            return ci;
        }
        skipped.add(new Skipped("EgressClusterInfo", "default", v));
        // a cluster network we cannot read may not be excluded from a gateway: wait rather than guess
        return new ClusterInfo(lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4), lists.get(5),
                lists.get(6), false);
    }

    /** An address, a range a-b, or a CIDR (host bits allowed: the planner takes the network). */
    static boolean network(String text) {
        return text != null && !text.isEmpty() && IpPool.parseEntry(text, Family.of(text)).isOk();
    }

    private static java.util.Optional<String> dangerousPool(String text, NetworkContext ctx) {
        // node IPs are checked by the controller against the gateways; here only what makes the scope unsafe
        NetworkContext fixedRulesOnly = new NetworkContext(List.of(), List.of(), List.of(), ctx.minPoolPrefixV4(),
                ctx.minPoolPrefixV6());
        return AddressRules.poolEntry(IpPool.parseEntry(text, Family.of(text)).orElseThrow(), fixedRulesOnly);
    }
}
