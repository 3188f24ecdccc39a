package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NexthopCodec;
import io.egressgateway.adapters.linux.netlink.NexthopCodec.Member;
import io.egressgateway.adapters.linux.netlink.NexthopCodec.NhInfo;
import io.egressgateway.adapters.linux.netlink.RouteCodec;
import io.egressgateway.adapters.linux.netlink.RouteCodec.Hop;
import io.egressgateway.adapters.linux.netlink.RouteCodec.RouteInfo;
import io.egressgateway.adapters.linux.sys.Errno;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multipath routes as resilient next-hop groups (kernel 5.13+): plain multipath rehashes every flow
 * when a next hop comes or goes, a resilient group moves only the flows of the changed next hop.
 * The route points at the group ({@code nhid}); a change of gateways replaces the group's members in
 * place. Our next-hop objects carry protocol {@link NetlinkApplier#RTPROT_EGW}, which is how they are
 * recognised; ones no route uses any more are removed after each apply. Where the kernel lacks them,
 * routes fall back to RTA_MULTIPATH. The kernel reports a route over a group with its expanded next
 * hops (net.ipv4.nexthop_compat_mode=1, the default), so observation sees plain multipath routes; it
 * only checks that the group is one of ours with our timers ({@link #isOurs}), which decide how soon a
 * joining next hop gets buckets (see {@link NexthopCodec#IDLE_TIMER_SECONDS}).
 */
final class ResilientGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientGroups.class);
    private static final int FIRST_ID = 0x65677700;
    private static final Set<Integer> UNSUPPORTED = Set.of(Errno.EINVAL, Errno.EOPNOTSUPP, 97 /* EAFNOSUPPORT */);
    private final NetlinkSocket nl;
    private Boolean supported;

    ResilientGroups(NetlinkSocket nl) {
        this.nl = nl;
    }

    /** Whether {@code n} is a resilient group of ours with our bucket count and timers (null: no). */
    static boolean isOurs(NhInfo n) {
        return n != null && n.isGroup() && n.protocol() == NetlinkApplier.RTPROT_EGW
                && n.groupType() == NEXTHOP_GRP_TYPE_RES && n.buckets() == NexthopCodec.BUCKETS
                && n.idleTimer() == NexthopCodec.idleTimerClockT()
                && n.unbalancedTimer() == NexthopCodec.unbalancedTimerClockT();
    }

    /** Installs the group for a multipath route and returns its id, or empty where groups are unsupported. */
    Optional<Integer> install(RouteInfo route) {
        if (Boolean.FALSE.equals(supported)) {
            return Optional.empty();
        }
        List<NhInfo> all;
        try {
            all = dump();
        } catch (NetlinkException e) {
            return unsupported(e);
        }
        Set<Integer> used = new HashSet<>();
        all.forEach(n -> used.add(n.id()));
        List<Member> members = new ArrayList<>();
        for (Hop h : route.hops()) {
            Optional<NhInfo> same = all.stream().filter(n -> n.protocol() == NetlinkApplier.RTPROT_EGW && !n.isGroup()
                    && n.family() == route.family() && n.oif() == h.ifindex() && Objects.equals(n.gateway(), h.gateway())
                    && ((n.flags() & RTNH_F_ONLINK) != 0) == h.onlink()).findFirst();
            int id = same.map(NhInfo::id).orElseGet(() -> allocate(used));
            if (same.isEmpty()) {
                try {
                    nl.execute(NexthopCodec.member(id, route.family(), h.ifindex(), h.gateway(), h.onlink(),
                            NetlinkApplier.RTPROT_EGW), "add next hop " + id + " via " + h.gateway());
                } catch (NetlinkException e) {
                    return unsupported(e);
                }
            }
            members.add(new Member(id, h.weight()));
        }
        int current = currentGroup(route);
        Optional<NhInfo> mine = all.stream().filter(n -> n.id() == current && n.isGroup()
                && n.protocol() == NetlinkApplier.RTPROT_EGW && n.groupType() == NEXTHOP_GRP_TYPE_RES).findFirst();
        int groupId = mine.map(NhInfo::id).orElseGet(() -> allocate(used));
        try {
            nl.execute(NexthopCodec.resilientGroup(groupId, members, NetlinkApplier.RTPROT_EGW),
                    "add resilient group " + groupId + " for table " + route.table() + " " + route.destination());
        } catch (NetlinkException e) {
            return unsupported(e);
        }
        supported = true;
        return Optional.of(groupId);
    }

    /** Deletes our groups no route uses, then our next hops no group or route uses. */
    void collectGarbage() {
        if (Boolean.FALSE.equals(supported)) {
            return;
        }
        List<NhInfo> ours;
        try {
            ours = dump().stream().filter(n -> n.protocol() == NetlinkApplier.RTPROT_EGW).toList();
        } catch (NetlinkException e) {
            return;
        }
        if (ours.isEmpty()) {
            return;
        }
        Set<Integer> inUse = new HashSet<>();
        for (int family : new int[] {AF_INET, AF_INET6}) {
            routes(family).forEach(r -> inUse.add(r.nexthopId()));
        }
        for (NhInfo g : ours) {
            if (g.isGroup()) {
                if (inUse.contains(g.id())) {
                    g.group().forEach(m -> inUse.add(m.id()));
                } else {
                    delete(g.id());
                }
            }
        }
        for (NhInfo n : ours) {
            if (!n.isGroup() && !inUse.contains(n.id())) {
                delete(n.id());
            }
        }
    }

    private int currentGroup(RouteInfo want) {
        return routes(want.family()).stream()
                .filter(r -> r.table() == want.table() && r.destination().equals(want.destination()))
                .mapToInt(RouteInfo::nexthopId).filter(id -> id != 0).findFirst().orElse(0);
    }

    private Optional<Integer> unsupported(NetlinkException e) {
        if (supported == null && UNSUPPORTED.contains(e.errno())) {
            supported = false;
            LOG.info("resilient next-hop groups unavailable ({}): multipath routes use RTA_MULTIPATH", e.getMessage());
            return Optional.empty();
        }
        throw e;
    }

    private void delete(int id) {
        try {
            nl.execute(NexthopCodec.delete(id), "delete next hop " + id);
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENOENT) {
                LOG.warn("next hop {} not deleted: {}", id, e.getMessage());
            }
        }
    }

    private static int allocate(Set<Integer> used) {
        int id = FIRST_ID;
        while (used.contains(id)) {
            id++;
        }
        used.add(id);
        return id;
    }

    private List<NhInfo> dump() {
        return nl.dump(NexthopCodec.dump(), "dump next hops").stream()
                .filter(m -> m.type() == RTM_NEWNEXTHOP).map(NexthopCodec::decode).toList();
    }

    private List<RouteInfo> routes(int family) {
        return nl.dump(RouteCodec.dump(family), "dump routes").stream()
                .filter(m -> m.type() == RTM_NEWROUTE).map(RouteCodec::decode).toList();
    }
}
