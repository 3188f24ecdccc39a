package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import io.egressgateway.adapters.linux.netlink.AddressCodec;
import io.egressgateway.adapters.linux.netlink.DeviceSettingsCodec;
import io.egressgateway.adapters.linux.netlink.LinkCodec;
import io.egressgateway.adapters.linux.netlink.LinkCodec.LinkInfo;
import io.egressgateway.adapters.linux.netlink.NeighbourCodec;
import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NlMsg;
import io.egressgateway.adapters.linux.netlink.RouteCodec;
import io.egressgateway.adapters.linux.netlink.RouteCodec.Hop;
import io.egressgateway.adapters.linux.netlink.RouteCodec.RouteInfo;
import io.egressgateway.adapters.linux.netlink.RuleCodec;
import io.egressgateway.adapters.linux.netlink.RuleCodec.RuleInfo;
import io.egressgateway.adapters.linux.sys.Errno;
import io.egressgateway.adapters.linux.sys.Sysctls;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.DatapathOp.Action;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.FdbEntry;
import io.egressgateway.domain.datapath.LinkAddress;
import io.egressgateway.domain.datapath.Neighbour;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one netlink-kind operation (or a sysctl). Adds use replace semantics where the kernel
 * offers them; deleting what is already gone is no error. Runs on the namespace thread.
 */
final class NetlinkApplier {
    /** Routing protocol number of the EIP host routes in the main table: how they are recognised. */
    static final int RTPROT_EGW = 38;
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkApplier.class);
    private static final Set<Integer> GONE = Set.of(Errno.ENOENT, Errno.ESRCH, Errno.ENODEV, Errno.EADDRNOTAVAIL);
    private final NetlinkSocket nl;
    private final EipRouteDevices eipRouteDevices;
    private final ResilientGroups groups;
    private final KernelRoutes routes;
    private KernelLinks links;
    private boolean routesChanged;

    /** Which device carries an EIP's host route (it must differ from the announcing one). */
    interface EipRouteDevices {
        String forFamily(Family family, KernelLinks links, String announcingDevice);
    }

    NetlinkApplier(NetlinkSocket nl, EipRouteDevices eipRouteDevices) {
        this.nl = nl;
        this.eipRouteDevices = eipRouteDevices;
        this.groups = new ResilientGroups(nl);
        this.routes = new KernelRoutes(nl);
    }

    /** Applies {@code op}; returns true when an announcement was taken over (the caller sends GARP/NA). */
    boolean apply(DatapathOp op) {
        links = links == null ? KernelLinks.dump(nl) : links;
        DatapathObject o = op.object();
        if (o instanceof Sysctl s) {
            sysctl(op, s);
        } else if (o instanceof TunnelLink t) {
            link(op, t);
            links = null;
        } else if (o instanceof LinkAddress a) {
            if (op.action() == Action.DELETE) {
                quietly(AddressCodec.delete(links.index(a.device(), a.render()), a.cidr()), a.render());
            } else {
                nl.execute(AddressCodec.add(links.index(a.device(), a.render()), a.cidr()), "add " + a.render());
            }
        } else if (o instanceof Neighbour n) {
            if (op.action() != Action.ADD) {
                Neighbour old = (Neighbour) op.previous();
                links.byName(old.device()).ifPresent(l -> quietly(NeighbourCodec.deleteNeighbour(l.index(), old.ip()),
                        "delete " + old.render()));
            }
            if (op.action() != Action.DELETE) {
                nl.execute(NeighbourCodec.addPermanent(links.index(n.device(), n.render()), n.ip(), n.mac()),
                        "add " + n.render());
            }
        } else if (o instanceof FdbEntry f) {
            if (op.action() != Action.ADD) {
                FdbEntry old = (FdbEntry) op.previous();
                links.byName(old.device()).ifPresent(l -> quietly(
                        NeighbourCodec.deleteFdb(l.index(), old.mac(), old.destination()), "delete " + old.render()));
            }
            if (op.action() != Action.DELETE) {
                nl.execute(NeighbourCodec.addFdb(links.index(f.device(), f.render()), f.mac(), f.destination()),
                        "add " + f.render());
            }
        } else if (o instanceof EipAnnouncement e) {
            if (op.action() != Action.ADD) {
                unannounce((EipAnnouncement) op.previous());
            }
            if (op.action() != Action.DELETE) {
                announce(e);
                return true;
            }
        } else if (o instanceof Route r) {
            routesChanged = true;
            int family = family(r.family());
            // Every route of an owned table is ours to remove, whatever its protocol; in a table that can
            // never be owned (main, local, default) only a route of the protocol we write.
            Predicate<RouteInfo> ours = ownable(r.table()) ? k -> true : k -> k.protocol() == RTPROT_STATIC;
            if (op.action() == Action.DELETE) {
                routes.deleteAll(family, r.table(), r.destination(), ours);
            } else {
                RouteInfo info = routeInfo(r);
                List<RouteInfo> before = routes.ofKey(family, r.table(), r.destination(), k -> true);
                Optional<Integer> group = info.hops().size() > 1 ? groups.install(info) : Optional.empty();
                RouteInfo written = group.map(info::viaNexthop).orElse(info);
                nl.execute(RouteCodec.replace(written), "add " + r.render());
                routes.replaced(written, before, ours);
            }
        } else if (o instanceof RouteRule r) {
            if (op.action() != Action.ADD) {
                deleteRule((RouteRule) op.previous());
            }
            if (op.action() != Action.DELETE) {
                try {
                    nl.execute(RuleCodec.add(ruleInfo(r)), "add " + r.render());
                } catch (NetlinkException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw e;
                    }
                }
            }
        } else {
            throw new IllegalArgumentException("not a netlink object: " + o.render());
        }
        return false;
    }

    /** After the routes of an apply: removes next-hop groups that no route uses any more. */
    void afterApply() {
        if (routesChanged) {
            routesChanged = false;
            groups.collectGarbage();
        }
    }

    /** Forgets the cached link table and route snapshot (after anything outside this class changed them). */
    void refresh() {
        links = null;
        routes.refresh();
    }

    KernelLinks links() {
        links = links == null ? KernelLinks.dump(nl) : links;
        return links;
    }

    private void sysctl(DatapathOp op, Sysctl s) {
        if (op.action() == Action.DELETE) {
            return;
        }
        String before = Sysctls.read(s.path()).orElse("(missing)");
        var devConf = DeviceSettingsCodec.ipv4DevConf(s.path());
        if (devConf.isPresent()) {
            // through netlink: needs only CAP_NET_ADMIN, where /proc/sys may be read-only (a container)
            int index = links.index(devConf.get().device(), s.render());
            nl.execute(DeviceSettingsCodec.setIpv4DevConf(index, devConf.get().attribute(), Integer.parseInt(s.value())),
                    "set " + s.render());
        } else {
            Sysctls.write(s.path(), s.value());
        }
        LOG.info("sysctl {} changed {} -> {}", s.path(), before, s.value());
    }

    private void link(DatapathOp op, TunnelLink t) {
        if (op.action() == Action.DELETE) {
            links.byName(t.name()).ifPresent(l -> quietly(LinkCodec.delete(l.index()), "delete link " + t.name()));
            return;
        }
        var existing = links.byName(t.name());
        if (existing.isPresent() && sameIdentity(NetlinkObserver.tunnel(existing.get(), links), t)) {
            nl.execute(LinkCodec.update(existing.get().index(), t.mac(), t.mtu()), "update " + t.render());
            return;
        }
        if (existing.isPresent()) {
            // VNI, port, parent and local address cannot be changed in place on every kernel: rebuild.
            // Addresses, neighbours and routes on the device go with it; the next pass puts them back.
            LOG.info("link={} rebuilt: {} -> {}", t.name(), op.previous() == null ? "?" : op.previous().render(),
                    t.render());
            quietly(LinkCodec.delete(existing.get().index()), "delete link " + t.name());
        }
        int parent = links.index(t.parent(), "parent of " + t.name());
        try {
            nl.execute(LinkCodec.createVxlan(t, parent), "create " + t.render());
        } catch (NetlinkException e) {
            throw explainLinkFailure(t, e);
        }
    }

    private RuntimeException explainLinkFailure(TunnelLink t, NetlinkException e) {
        if (e.errno() == Errno.EOPNOTSUPP) {
            return new IllegalStateException("cannot create " + t.name() + ": the kernel has no vxlan support "
                    + "(load it: modprobe vxlan; on Debian/Ubuntu the module is in linux-modules-extra-$(uname -r)). "
                    + e.getMessage(), e);
        }
        if (e.errno() == Errno.EEXIST) {
            List<String> holders = KernelLinks.dump(nl).all().stream()
                    .filter(l -> l.vxlan().map(v -> v.vni() == t.vni() && v.port() == t.port()).orElse(false))
                    .map(LinkInfo::name).toList();
            return new IllegalStateException("cannot create " + t.name() + ": VXLAN VNI " + t.vni() + " on UDP port "
                    + t.port() + " is already in use" + (holders.isEmpty() ? "" : " by device " + holders)
                    + "; choose another tunnel.vxlan.vni or port. " + e.getMessage(), e);
        }
        if (e.errno() == Errno.EADDRINUSE) {
            return new IllegalStateException("cannot create " + t.name() + ": UDP port " + t.port()
                    + " is already in use by another socket; choose another tunnel.vxlan.port. " + e.getMessage(), e);
        }
        return e;
    }

    private static boolean sameIdentity(TunnelLink a, TunnelLink b) {
        return a.vni() == b.vni() && a.port() == b.port() && a.underlay() == b.underlay()
                && Objects.equals(a.parent(), b.parent()) && Objects.equals(a.localIp(), b.localIp());
    }

    private void announce(EipAnnouncement e) {
        Family f = Family.of(e.ip());
        int dev = links.index(e.device(), e.render());
        ProxyNeighbourSettings.ensure(nl, f, dev, e.device());
        String via = eipRouteDevices.forFamily(f, links, e.device());
        int viaIndex = links.index(via, "host route of " + e.render());
        RouteInfo host = hostRoute(e.ip(), viaIndex);
        List<RouteInfo> before = routes.ofKey(host.family(), RT_TABLE_MAIN, host.destination(), k -> true);
        RouteInfo over = KernelRoutes.overwrittenBy(host, before);
        if (over != null && over.protocol() != RTPROT_EGW) {
            // The main table is shared: replacing a route someone else made there would delete it.
            throw new IllegalStateException("cannot add the host route of " + e.render() + ": the main table already has "
                    + over.describe() + ", which the agent does not own; remove it, or take " + e.ip()
                    + " out of the EIP pool");
        }
        nl.execute(RouteCodec.replace(host), "add host route of " + e.render() + " dev " + via);
        routes.replaced(host, before, k -> false);
        nl.execute(NeighbourCodec.addProxy(dev, e.ip()), "add proxy entry of " + e.render());
    }

    private void unannounce(EipAnnouncement e) {
        String device = e.device().endsWith(NetlinkObserver.INCOMPLETE)
                ? e.device().substring(0, e.device().length() - NetlinkObserver.INCOMPLETE.length()) : e.device();
        links.byName(device).ifPresent(l -> quietly(NeighbourCodec.deleteProxy(l.index(), e.ip()),
                "delete proxy entry of " + e.render()));
        // only our own host route, recognised by its protocol: a route someone else made to the address stays
        RouteInfo host = hostRoute(e.ip(), 0);
        routes.deleteAll(host.family(), RT_TABLE_MAIN, host.destination(), k -> k.protocol() == RTPROT_EGW);
    }

    /** Tables 0 and 253-255 (unspec, default, main, local) are never owned, whatever the scope says. */
    private static boolean ownable(long table) {
        return table != RT_TABLE_UNSPEC && (table < 253 || table > 255);
    }

    private static RouteInfo hostRoute(String ip, int ifindex) {
        Family f = Family.of(ip);
        List<Hop> hops = ifindex == 0 ? List.of() : List.of(new Hop(null, ifindex, false, 1));
        return new RouteInfo(family(f), RT_TABLE_MAIN, ip + "/" + f.bits(), RTN_UNICAST, RTPROT_EGW, 0, 0, hops);
    }

    private RouteInfo routeInfo(Route r) {
        int type = r.type() == Route.Type.UNREACHABLE ? RTN_UNREACHABLE : RTN_UNICAST;
        List<Hop> hops = r.type() == Route.Type.UNREACHABLE ? List.of() : r.nextHops().stream()
                .map(h -> new Hop(h.via(), links.index(h.device(), r.render()), h.onlink(), Math.max(1, h.weight())))
                .toList();
        return new RouteInfo(family(r.family()), r.table(), r.destination(), type, RTPROT_STATIC, 0, 0, hops);
    }

    /** Deletes a rule; "not found" is success only when no rule of its priority, mark and mask is left. */
    private void deleteRule(RouteRule r) {
        try {
            nl.execute(RuleCodec.delete(ruleInfo(r)), "delete " + r.render());
        } catch (NetlinkException e) {
            if (!GONE.contains(e.errno())) {
                throw e;
            }
            boolean still = nl.dump(RuleCodec.dump(family(r.family())), "dump rules").stream()
                    .filter(m -> m.type() == RTM_NEWRULE).map(RuleCodec::decode)
                    .anyMatch(k -> k.priority() == r.priority() && k.mark() == r.mark() && k.mask() == r.mask()
                            && k.table() == r.table());
            if (still) {
                throw new IllegalStateException(e.getMessage() + ", but the rule is still there", e);
            }
        }
    }

    private static RuleInfo ruleInfo(RouteRule r) {
        return new RuleInfo(family(r.family()), r.priority(), r.mark(), r.mask(), r.table(), FR_ACT_TO_TBL);
    }

    /** A delete that is satisfied when the object is already gone. */
    private void quietly(NlMsg msg, String what) {
        try {
            nl.execute(msg, what);
        } catch (NetlinkException e) {
            if (!GONE.contains(e.errno())) {
                throw e;
            }
        }
    }

    private static int family(Family f) {
        return f == Family.IPV4 ? AF_INET : AF_INET6;
    }
}
