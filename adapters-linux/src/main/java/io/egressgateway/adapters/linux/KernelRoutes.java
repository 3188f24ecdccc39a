package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.RouteCodec;
import io.egressgateway.adapters.linux.netlink.RouteCodec.RouteInfo;
import io.egressgateway.adapters.linux.sys.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Route deletes that match what the kernel really holds. The model knows a route by table and
 * destination only, but the kernel deletes a route only when the request also matches its
 * protocol, type, tos and (IPv6, or when given) metric: a request built from the model misses a
 * route someone else added ({@code proto boot}, a metric, a tos) and the kernel answers ESRCH.
 * So every delete is built from a dump of the routes of that key, with their own attributes, and a
 * "not found" answer counts as done only when the route is really gone. The routes are dumped once
 * per apply and the snapshot kept up to date with what this class deletes and what is recorded as
 * replaced, so that a diff of hundreds of routes costs one dump per family. Runs on the namespace
 * thread.
 */
final class KernelRoutes {
    private static final int IPV6_DEFAULT_METRIC = 1024;
    private final NetlinkSocket nl;
    private final Map<Integer, List<RouteInfo>> snapshot = new HashMap<>();

    KernelRoutes(NetlinkSocket nl) {
        this.nl = nl;
    }

    /** Forgets the snapshot: the next apply dumps afresh. */
    void refresh() {
        snapshot.clear();
    }

    /** The routes of one key, in dump order (the kernel's lookup order), that {@code which} accepts. */
    List<RouteInfo> ofKey(int family, long table, String destination, Predicate<RouteInfo> which) {
        return known(family).stream()
                .filter(r -> sameKey(r, table, destination) && which.test(r)).toList();
    }

    /**
     * Deletes every route of the key that {@code which} accepts, each with its own protocol, type,
     * tos and metric. Nothing to delete is success; a delete the kernel answers with "not found"
     * while the route is still there is a failure naming the route.
     */
    void deleteAll(int family, long table, String destination, Predicate<RouteInfo> which) {
        for (RouteInfo r : ofKey(family, table, destination, which)) {
            delete(r);
            known(family).remove(r);
        }
    }

    /**
     * The route of {@code before} (the key's routes before the write) that writing {@code written}
     * with NLM_F_REPLACE overwrites: IPv4 replaces the first route of the same tos and metric, IPv6
     * the first of the same metric. Null when the write adds a route.
     */
    static RouteInfo overwrittenBy(RouteInfo written, List<RouteInfo> before) {
        long metric = metric(written);
        return before.stream().filter(r -> r.tos() == written.tos() && r.priority() == metric).findFirst()
                .orElse(null);
    }

    /**
     * Records that {@code written} replaced a route of its key, and deletes the key's other routes
     * that {@code deleteOthers} accepts: the replace left them because their tos or metric differ.
     */
    void replaced(RouteInfo written, List<RouteInfo> before, Predicate<RouteInfo> deleteOthers) {
        RouteInfo over = overwrittenBy(written, before);
        List<RouteInfo> known = known(written.family());
        for (RouteInfo r : before) {
            if (r != over && deleteOthers.test(r)) {
                delete(r);
                known.remove(r);
            }
        }
        known.remove(over);
        known.add(new RouteInfo(written.family(), written.table(), written.destination(), written.type(),
                written.protocol(), written.scope(), written.flags(), written.hops(), written.nexthopId(),
                written.tos(), metric(written)));
    }

    private static long metric(RouteInfo written) {
        return written.family() == AF_INET6 && written.priority() == 0 ? IPV6_DEFAULT_METRIC : written.priority();
    }

    private void delete(RouteInfo r) {
        try {
            nl.execute(RouteCodec.delete(r), "delete " + r.describe());
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ESRCH && e.errno() != Errno.ENOENT) {
                throw e;
            }
            boolean still = dump(r.family()).stream()
                    .anyMatch(k -> sameKey(k, r.table(), r.destination()) && k.protocol() == r.protocol()
                            && k.type() == r.type() && k.tos() == r.tos() && k.priority() == r.priority());
            if (still) {
                throw new IllegalStateException(e.getMessage() + ", but the route is still there", e);
            }
        }
    }

    private List<RouteInfo> known(int family) {
        return snapshot.computeIfAbsent(family, f -> new ArrayList<>(dump(f)));
    }

    private static boolean sameKey(RouteInfo r, long table, String destination) {
        return r.table() == table && r.destination().equals(destination) && (r.flags() & RTM_F_CLONED) == 0;
    }

    private List<RouteInfo> dump(int family) {
        return nl.dump(RouteCodec.dump(family), "dump routes").stream()
                .filter(m -> m.type() == RTM_NEWROUTE).map(RouteCodec::decode).filter(r -> r.family() == family)
                .toList();
    }
}
