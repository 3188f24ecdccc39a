package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.FdbEntry;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.LinkAddress;
import io.egressgateway.domain.datapath.Neighbour;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.validation.NetworkContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans the complete desired datapath of one node from a {@link NodeSnapshot}. Pure: no I/O, no
 * clock, no randomness, and the result does not depend on the order of the snapshot's lists.
 * docs/datapath.md describes the rule set this builds and why each rule exists.
 */
public final class DatapathPlanner {
    public static final String IPSET_PREFIX = "egress-";
    public static final String CHAIN_PREFIX = "EGRESSGATEWAY-";
    static final String DEFAULT_V4 = "0.0.0.0/0";
    static final String DEFAULT_V6 = "::/0";

    private DatapathPlanner() {
    }

    /** The datapath this node must have (objects vetted with no knowledge of the network beyond the snapshot). */
    public static Datapath plan(NodeSnapshot s) {
        return plan(s, NetworkContext.unknown()).datapath();
    }

    /** A plan, and the objects (or fields) left out of it because they break a rule. */
    public record Planned(Datapath datapath, List<SnapshotVetting.Skipped> skipped) {
        public Planned {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * The datapath this node must have. Never throws on content: every object is vetted on its own
     * first ({@link SnapshotVetting}), and a policy whose planning fails all the same is left out
     * (and reported) rather than failing everyone's plan.
     */
    public static Planned plan(NodeSnapshot s, NetworkContext network) {
        SnapshotVetting.Vetted vetted = SnapshotVetting.vet(s, network);
        Pass pass = new Pass(vetted.snapshot());
        Datapath d = pass.run();
        List<SnapshotVetting.Skipped> skipped = new ArrayList<>(vetted.skipped());
        skipped.addAll(pass.failed());
        return new Planned(d, skipped);
    }

    /** What the agent may observe and delete, for the observer: derived from the settings alone. */
    public static OwnershipScope scope(PlannerSettings settings, ClusterInfo clusterInfo) {
        List<String> sysctls = new ArrayList<>(List.of("net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding",
                "net/ipv4/fib_multipath_hash_policy", "net/ipv6/fib_multipath_hash_policy"));
        for (String dev : List.of(settings.v4Device(), settings.v6Device())) {
            sysctls.add(rpFilter(dev));
        }
        return new OwnershipScope(settings.devicePrefix(), IPSET_PREFIX, CHAIN_PREFIX, settings.rulePriority(),
                settings.rulePriority(), settings.markBase(), settings.markMask(),
                clusterInfo == null ? List.of() : clusterInfo.eipPools(), sysctls);
    }

    /** The name of a family's cluster set: every destination an empty destCIDR excludes. */
    public static String clusterSet(Family f) {
        return IPSET_PREFIX + "cluster-" + f.suffix();
    }

    /** The set of the peers' underlay addresses of one underlay family: who may reach the tunnel port. */
    public static String peerSet(Family f) {
        return IPSET_PREFIX + "peers-" + f.suffix();
    }

    static String rpFilter(String device) {
        return "net/ipv4/conf/" + device + "/rp_filter";
    }

    /** One planning pass; holds the derived views so the steps stay one-liners. */
    private static final class Pass {
        private final NodeSnapshot s;
        private final PlannerSettings settings;
        private final MarkLayout marks;
        private final Topology topo;
        private final PolicyPlanner policies;
        private final List<PolicyPlan> plans;
        private final List<DatapathObject> out = new ArrayList<>();

        Pass(NodeSnapshot s) {
            this.s = s;
            this.settings = s.settings();
            this.marks = MarkLayout.of(settings);
            this.topo = new Topology(s);
            this.policies = new PolicyPlanner(s, topo, marks);
            this.plans = policies.plans();
        }

        List<SnapshotVetting.Skipped> failed() {
            return policies.failed();
        }

        Datapath run() {
            sysctls();
            tunnel();
            boolean gateway = s.gateways().stream().anyMatch(this::lists);
            for (Family f : Family.values()) {
                if (!settings.enabled(f) || s.gateways().isEmpty()) {
                    continue;
                }
                SortedMap<Long, Route> tables = tables(f, gateway);
                SortedSet<Long> valid = gatewayMarks(f);
                tables.forEach((mark, route) -> {
                    out.add(route);
                    out.add(new RouteRule(f, settings.rulePriority(), mark, MarkLayout.ALL, route.table()));
                });
                List<PolicyPlan> mine = plans.stream().filter(p -> p.family() == f).toList();
                ipsets(f, mine);
                List<String> eips = announce(f);
                Underlay underlay = topo.underlays.get(f);
                out.addAll(new IptablesPlanner(settings, marks).plan(f, mine, gateway, valid,
                        List.copyOf(topo.peers.values()), eips, clusterSet(f), underlay == null ? null : underlay.localIp()));
            }
            return Datapath.of(out);
        }

        private boolean lists(Gateway g) {
            return g.status() != null && g.status().nodeList().stream().anyMatch(n -> n.name().equals(s.nodeName()));
        }

        private void sysctls() {
            boolean activeActive = s.gateways().stream()
                    .anyMatch(g -> g.status() != null && g.status().forwardMethod() == ForwardMethod.ACTIVE_ACTIVE);
            if (settings.enableIPv4()) {
                out.add(new Sysctl(NodeWideSysctls.IP_FORWARD, "1"));
                for (Underlay u : topo.underlays.values()) {
                    out.add(new Sysctl(rpFilter(u.device()), "2"));
                }
                if (activeActive) {
                    out.add(onlyWhereZero(NodeWideSysctls.HASH_POLICY_V4, NodeWideSysctls.L4_HASH));
                }
            }
            if (settings.enableIPv6()) {
                out.add(new Sysctl(NodeWideSysctls.IPV6_FORWARDING, "1"));
                if (activeActive) {
                    out.add(onlyWhereZero(NodeWideSysctls.HASH_POLICY_V6, NodeWideSysctls.L4_HASH));
                }
            }
        }

        /** A node-wide setting someone else already chose (non-zero) is left as it is. */
        private Sysctl onlyWhereZero(String path, String value) {
            return NodeWideSysctls.onlyWhereZero(s.observedSysctls(), path, value);
        }

        private void tunnel() {
            if (!topo.hasTunnel()) {
                return;
            }
            String mac = topo.selfNode.tunnelMac().toLowerCase();
            for (Underlay u : topo.underlays.values()) {
                out.add(new TunnelLink(u.device(), u.family(), settings.vni(), settings.port(), u.parent(), u.localIp(),
                        mac, u.tunnelMtu()));
                // Only the cluster's nodes reach the tunnel port (docs/datapath.md, "Trust boundaries"): the
                // peers' reported underlay addresses and the Nodes' addresses the controller publishes, so
                // a node whose EgressNode report is broken keeps its tunnel.
                List<String> peerIps = new ArrayList<>(topo.peers.values().stream().map(p -> p.underlayIp().get(u.family()))
                        .filter(ip -> ip != null).map(ip -> Addr.net(ip).cidr()).toList());
                if (s.clusterInfo() != null) {
                    s.clusterInfo().nodeIPs().stream().filter(c -> Addr.familyOf(c) == u.family())
                            .flatMap(c -> Addr.members(c).stream()).forEach(peerIps::add);
                }
                out.add(new IpSet(peerSet(u.family()), u.family(), peerIps));
                out.add(IptablesPlanner.tunnelGuard(u.family(), settings.port(), peerSet(u.family())));
                for (Topology.Peer p : topo.peers.values()) {
                    if (p.underlayIp().containsKey(u.family())) {
                        out.add(new FdbEntry(u.device(), p.mac(), p.underlayIp().get(u.family())));
                    }
                }
            }
            for (Family f : Family.values()) {
                if (!settings.enabled(f)) {
                    continue;
                }
                topo.selfTunnelCidr(f).ifPresent(c -> out.add(new LinkAddress(topo.selfDevice(f).orElseThrow(), c)));
                for (Topology.Peer p : topo.peers.values()) {
                    topo.carrier(p, f).ifPresent(dev -> out.add(new Neighbour(dev, p.tunnelIp().get(f), p.mac())));
                }
            }
        }

        /**
         * One table per mark (keyed by mark here), numbered by the mark: a node's table sends to
         * that node; an active-active gateway's table spreads over its Ready nodes except this
         * one; the fail-closed mark's table (numbered like the base mark) refuses, present with
         * {@code failClosed} or while a policy is held. Gateways also
         * need a table for every peer (the reply path).
         */
        private SortedMap<Long, Route> tables(Family f, boolean gateway) {
            SortedMap<Long, Route> t = new TreeMap<>();
            List<String> nodes = new ArrayList<>();
            for (Gateway g : s.gateways()) {
                nodes.addAll(Topology.readyNodes(g));
            }
            if (gateway) {
                nodes.addAll(topo.peers.keySet());
            }
            for (String n : new TreeSet<>(nodes)) {
                if (!n.equals(s.nodeName())) {
                    topo.reachable(n, f).ifPresent(p -> t.put(p.mark(), route(f, p.mark(), List.of(hop(p, f)))));
                }
            }
            for (Gateway g : s.gateways()) {
                if (g.status() == null || g.status().forwardMethod() != ForwardMethod.ACTIVE_ACTIVE || g.status().mark() == null) {
                    continue;
                }
                List<NextHop> hops = Topology.readyNodes(g).stream().filter(n -> !n.equals(s.nodeName()))
                        .flatMap(n -> topo.reachable(n, f).stream()).map(p -> hop(p, f)).toList();
                if (!hops.isEmpty()) {
                    t.putIfAbsent(g.status().mark(), route(f, g.status().mark(), hops));
                }
            }
            // Held policies use the table whatever failClosed says: a move must never leak.
            if (settings.failClosed() || plans.stream().anyMatch(p -> p.family() == f && p.decision().refuses())) {
                t.putIfAbsent(marks.failClosed(),
                        new Route(f, marks.failClosedTable(), defaultOf(f), Route.Type.UNREACHABLE, List.of()));
            }
            return t;
        }

        /**
         * The marks a decision may still point at: the base mark (claims), every Ready gateway node
         * this node can reach, every active-active gateway with a next hop. A gateway's reply-path
         * table for a peer that is no longer a gateway does not keep a pin to that peer alive.
         */
        private SortedSet<Long> gatewayMarks(Family f) {
            SortedSet<Long> valid = new TreeSet<>();
            valid.add(marks.base());
            for (Gateway g : s.gateways()) {
                List<Long> hops = Topology.readyNodes(g).stream().filter(n -> !n.equals(s.nodeName()))
                        .flatMap(n -> topo.reachable(n, f).stream()).map(Topology.Peer::mark).toList();
                valid.addAll(hops);
                if (!hops.isEmpty() && g.status().forwardMethod() == ForwardMethod.ACTIVE_ACTIVE && g.status().mark() != null) {
                    valid.add(g.status().mark());
                }
            }
            return valid;
        }

        private NextHop hop(Topology.Peer p, Family f) {
            return new NextHop(p.tunnelIp().get(f), topo.carrier(p, f).orElseThrow(), true, 1);
        }

        private static Route route(Family f, long table, List<NextHop> hops) {
            return new Route(f, table, defaultOf(f), Route.Type.UNICAST, hops);
        }

        static String defaultOf(Family f) {
            return f == Family.IPV4 ? DEFAULT_V4 : DEFAULT_V6;
        }

        private void ipsets(Family f, List<PolicyPlan> mine) {
            boolean cluster = false;
            for (PolicyPlan p : mine) {
                out.add(new IpSet(p.srcSet(), f, p.srcMembers()));
                out.add(new IpSet(p.dstSet(), f, p.dstMembers()));
                cluster |= p.excludeCluster();
            }
            if (cluster) {
                ClusterInfo ci = s.clusterInfo();
                List<String> members = ci.excluded().values().stream()
                        .flatMap(List::stream).filter(c -> Addr.familyOf(c) == f).flatMap(c -> Addr.members(c).stream())
                        .toList();
                out.add(new IpSet(clusterSet(f), f, members));
            }
        }

        /** EIPs placed on this node by a gateway that lists it Ready, announced on the interface of their subnet. */
        private List<String> announce(Family f) {
            TreeSet<String> eips = new TreeSet<>();
            for (Gateway g : s.gateways()) {
                if (g.status() == null) {
                    continue;
                }
                for (GatewayNode n : g.status().nodeList()) {
                    if (n.name().equals(s.nodeName()) && n.status() == NodeReadiness.Ready) {
                        for (EipAssignment a : n.eips()) {
                            String ip = f == Family.IPV4 ? a.ipv4() : a.ipv6();
                            if (Underlay.present(ip)) {
                                eips.add(Addr.canonical(ip));
                            }
                        }
                    }
                }
            }
            List<String> announced = new ArrayList<>();
            for (String eip : eips) {
                String dev = Interfaces.deviceFor(s.facts(), settings, eip, f);
                if (dev != null) {
                    out.add(new EipAnnouncement(eip, dev));
                    announced.add(eip);
                }
            }
            return announced;
        }
    }

}
