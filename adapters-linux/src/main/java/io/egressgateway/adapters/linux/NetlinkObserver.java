package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import io.egressgateway.adapters.linux.netlink.AddressCodec;
import io.egressgateway.adapters.linux.netlink.AddressCodec.AddrInfo;
import io.egressgateway.adapters.linux.netlink.LinkCodec.LinkInfo;
import io.egressgateway.adapters.linux.netlink.LinkCodec.VxlanInfo;
import io.egressgateway.adapters.linux.netlink.NeighbourCodec;
import io.egressgateway.adapters.linux.netlink.NeighbourCodec.NeighInfo;
import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NexthopCodec;
import io.egressgateway.adapters.linux.netlink.NexthopCodec.NhInfo;
import io.egressgateway.adapters.linux.netlink.RouteCodec;
import io.egressgateway.adapters.linux.netlink.RouteCodec.RouteInfo;
import io.egressgateway.adapters.linux.netlink.RuleCodec;
import io.egressgateway.adapters.linux.netlink.RuleCodec.RuleInfo;
import io.egressgateway.adapters.linux.sys.Sysctls;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.FdbEntry;
import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.LinkAddress;
import io.egressgateway.domain.datapath.Neighbour;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the owned netlink objects (and the node facts) through one dump per object type. Runs on the
 * namespace thread. Observed objects are built in exactly the canonical form the planner uses, so
 * that an unchanged kernel diffs to nothing.
 */
final class NetlinkObserver {
    /**
     * Marks an announcement an older agent left in the kernel (proxy entry and host route), so that
     * the diff replaces it with the responder's and the delete removes the kernel objects.
     */
    static final String KERNEL_PROXY = " (kernel proxy)";
    private final NetlinkSocket nl;
    private final EipResponder responder;

    NetlinkObserver(NetlinkSocket nl, EipResponder responder) {
        this.nl = nl;
        this.responder = responder;
    }

    List<DatapathObject> observe(OwnershipScope scope) {
        List<DatapathObject> out = new ArrayList<>();
        for (String path : scope.sysctlPaths()) {
            Sysctls.read(path).ifPresent(v -> out.add(new Sysctl(path, v)));
        }
        KernelLinks links = KernelLinks.dump(nl);
        Map<Integer, String> owned = links.all().stream().filter(l -> l.name().startsWith(scope.devicePrefix()))
                .collect(Collectors.toMap(LinkInfo::index, LinkInfo::name));
        for (LinkInfo l : links.all()) {
            if (owned.containsKey(l.index())) {
                out.add(tunnel(l, links));
            }
        }
        for (AddrInfo a : addresses()) {
            if (owned.containsKey(a.index()) && a.cidr() != null && a.scope() != RT_SCOPE_LINK) {
                out.add(new LinkAddress(owned.get(a.index()), a.cidr()));
            }
        }
        for (NeighInfo n : neighbours(AF_UNSPEC, false)) {
            if (owned.containsKey(n.index()) && !n.proxy() && (n.state() & NUD_PERMANENT) != 0 && n.ip() != null
                    && n.mac() != null) {
                out.add(new Neighbour(owned.get(n.index()), n.ip(), n.mac()));
            }
        }
        for (NeighInfo n : neighbours(AF_BRIDGE, false)) {
            if (owned.containsKey(n.index()) && n.dst() != null && n.mac() != null
                    && (n.state() & NUD_PERMANENT) != 0) {
                out.add(new FdbEntry(owned.get(n.index()), n.mac(), n.dst()));
            }
        }
        List<RouteInfo> routes = new ArrayList<>(routes(AF_INET));
        routes.addAll(routes(AF_INET6));
        out.addAll(announcements(links, routes));
        Map<String, List<RouteInfo>> byKey = new LinkedHashMap<>();
        for (RouteInfo r : routes) {
            if (r.table() != RT_TABLE_MAIN && scope.ownsTable(r.table()) && (r.flags() & RTM_F_CLONED) == 0) {
                byKey.computeIfAbsent(r.family() + " " + r.table() + " " + r.destination(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<Integer, NhInfo> nexthops = byKey.values().stream().anyMatch(same -> same.get(0).nexthopId() != 0)
                ? nexthops() : Map.of();
        for (List<RouteInfo> same : byKey.values()) {
            RouteInfo first = same.get(0);
            Route r = route(first, links);
            if (same.size() > 1) {
                int others = same.size() - 1;
                r = withMarker(r, "(" + others + " more route" + (others == 1 ? "" : "s") + " to this destination)");
            } else if (first.nexthopId() != 0 && first.hops().size() > 1
                    && !ResilientGroups.isOurs(nexthops.get(first.nexthopId()))) {
                r = withMarker(r, "(next-hop group " + first.nexthopId() + " is not ours or has other timers)");
            }
            out.add(r);
        }
        for (int family : new int[] {AF_INET, AF_INET6}) {
            for (RuleInfo r : rules(family)) {
                if (r.action() == FR_ACT_TO_TBL && scope.ownsRule(r.priority(), r.mark(), r.mask(), r.table())) {
                    out.add(new RouteRule(family(family), r.priority(), r.mark(), r.mask(), r.table()));
                }
            }
        }
        return out;
    }

    NodeFacts facts() {
        KernelLinks links = KernelLinks.dump(nl);
        Map<Integer, List<String>> v4 = new HashMap<>();
        Map<Integer, List<String>> v6 = new HashMap<>();
        for (AddrInfo a : addresses()) {
            if (a.cidr() == null || a.scope() == RT_SCOPE_LINK) {
                continue;
            }
            (a.family() == AF_INET ? v4 : v6).computeIfAbsent(a.index(), k -> new ArrayList<>()).add(a.cidr());
        }
        List<InterfaceFacts> interfaces = links.all().stream()
                .map(l -> new InterfaceFacts(l.name(), l.mtu(), l.mac(), v4.getOrDefault(l.index(), List.of()),
                        v6.getOrDefault(l.index(), List.of())))
                .toList();
        return new NodeFacts(interfaces, defaultDevice(AF_INET, links), defaultDevice(AF_INET6, links));
    }

    private String defaultDevice(int family, KernelLinks links) {
        return routes(family).stream()
                .filter(r -> r.table() == RT_TABLE_MAIN && r.type() == RTN_UNICAST && r.destination().endsWith("/0"))
                .flatMap(r -> r.hops().stream()).map(h -> links.name(h.ifindex())).findFirst().orElse(null);
    }

    static TunnelLink tunnel(LinkInfo l, KernelLinks links) {
        // a device that is down reports MTU 0: the diff then replaces it, which brings it up again
        int mtu = l.up() ? l.mtu() : 0;
        String mac = l.mac() == null ? "" : l.mac();
        if (l.vxlan().isEmpty()) {
            return new TunnelLink(l.name(), Family.IPV4, -1, 0, "", "", mac, mtu);
        }
        VxlanInfo v = l.vxlan().get();
        Family underlay = v.local() == null ? Family.IPV4 : Family.of(v.local());
        // a device that learns is not ours as planned: VNI -1 forces a rebuild
        int vni = v.learning() ? -1 : (int) v.vni();
        return new TunnelLink(l.name(), underlay, vni, v.port(), links.name(v.parentIndex()),
                v.local() == null ? "" : v.local(), mac, mtu);
    }

    private static Route route(RouteInfo r, KernelLinks links) {
        Family family = family(r.family());
        if (r.type() == RTN_UNREACHABLE) {
            return new Route(family, r.table(), r.destination(), Route.Type.UNREACHABLE, List.of());
        }
        List<NextHop> hops = r.hops().stream()
                .map(h -> new NextHop(h.gateway(), links.name(h.ifindex()), h.onlink(), r.hops().size() == 1 ? 1 : h.weight()))
                .toList();
        return new Route(family, r.table(), r.destination(), Route.Type.UNICAST, hops);
    }

    /**
     * A route with a marker next hop that no plan has, so that the diff replaces it. Used for the first
     * of several kernel routes of one key (another metric or tos, added by someone else: the replace
     * removes the others, and the lookup may prefer one of them, e.g. a lower IPv6 metric), and for a
     * multipath route over a next-hop group that is not a resilient group of ours with our timers
     * (the replace puts the timers on the group in place).
     */
    static Route withMarker(Route r, String marker) {
        List<NextHop> hops = new ArrayList<>(r.nextHops());
        hops.add(new NextHop(null, marker, false, 1));
        return new Route(r.family(), r.table(), r.destination(), r.type(), hops);
    }

    /**
     * What the responder answers, plus what an older agent left in the kernel: proxy entries whose
     * EIP has a host route of our protocol in the main table, and such routes alone. The route is
     * the ownership marker: a proxy entry without it is someone else's (even for an address in a
     * pool) and is left alone. Kernel leftovers win over the responder's entry for the same address,
     * so the diff removes them.
     */
    private List<EipAnnouncement> announcements(KernelLinks links, List<RouteInfo> routes) {
        Set<String> routed = routes.stream()
                .filter(r -> r.table() == RT_TABLE_MAIN && r.protocol() == NetlinkApplier.RTPROT_EGW)
                .map(r -> r.destination().substring(0, r.destination().indexOf('/')))
                .collect(Collectors.toSet());
        Map<String, EipAnnouncement> out = new HashMap<>();
        for (EipAnnouncement e : responder.answering()) {
            out.put(e.ip(), e);
        }
        if (routed.isEmpty()) {
            return List.copyOf(out.values());
        }
        Map<String, EipAnnouncement> kernel = new HashMap<>();
        for (int family : new int[] {AF_INET, AF_INET6}) {
            for (NeighInfo n : neighbours(family, true)) {
                if (n.ip() != null && routed.contains(n.ip())) {
                    kernel.put(n.ip(), new EipAnnouncement(n.ip(), links.name(n.index()) + KERNEL_PROXY));
                }
            }
        }
        for (String ip : routed) {
            kernel.putIfAbsent(ip, new EipAnnouncement(ip, KERNEL_PROXY.strip()));
        }
        out.putAll(kernel);
        return List.copyOf(out.values());
    }

    private Map<Integer, NhInfo> nexthops() {
        try {
            return nl.dump(NexthopCodec.dump(), "dump next hops").stream().filter(m -> m.type() == RTM_NEWNEXTHOP)
                    .map(NexthopCodec::decode).collect(Collectors.toMap(NhInfo::id, n -> n, (a, b) -> a));
        } catch (NetlinkException e) {
            return Map.of();
        }
    }

    private List<AddrInfo> addresses() {
        return nl.dump(AddressCodec.dump(), "dump addresses").stream()
                .filter(m -> m.type() == RTM_NEWADDR).map(AddressCodec::decode).toList();
    }

    List<NeighInfo> neighbours(int family, boolean proxies) {
        return nl.dump(NeighbourCodec.dump(family, proxies), "dump neighbours").stream()
                .filter(m -> m.type() == RTM_NEWNEIGH).map(NeighbourCodec::decode)
                .filter(n -> proxies == n.proxy()).toList();
    }

    List<RouteInfo> routes(int family) {
        return nl.dump(RouteCodec.dump(family), "dump routes").stream()
                .filter(m -> m.type() == RTM_NEWROUTE).map(RouteCodec::decode).toList();
    }

    private List<RuleInfo> rules(int family) {
        return nl.dump(RuleCodec.dump(family), "dump rules").stream()
                .filter(m -> m.type() == RTM_NEWRULE).map(RuleCodec::decode).toList();
    }

    static Family family(int af) {
        return af == AF_INET ? Family.IPV4 : Family.IPV6;
    }
}
