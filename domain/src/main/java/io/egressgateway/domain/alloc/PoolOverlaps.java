package io.egressgateway.domain.alloc;

import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.IpRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Overlapping pools decided from the live state, not only at admission (whose cache lags, and which
 * may have been bypassed): an address two gateways' pools share is handed out by one of them only,
 * so an EIP is never assigned to two gateways. For each overlapping pair the winner is the gateway
 * that already carries an EIP from the shared addresses (so nothing in use moves), and otherwise
 * the one whose name sorts first. The loser allocates from its pool minus the shared addresses and
 * is told why. Pure and deterministic: every controller replica decides the same.
 */
public final class PoolOverlaps {
    private PoolOverlaps() {
    }

    /** A gateway with the pools it may allocate from, and one note per overlap it lost. */
    public record Resolved(Gateway gateway, List<String> lost) {
        public Resolved {
            lost = List.copyOf(lost);
        }
    }

    public static Map<String, Resolved> resolve(List<Gateway> gateways) {
        List<Gateway> sorted = gateways.stream().sorted(Comparator.comparing(Gateway::name)).toList();
        Map<String, Resolved> out = new TreeMap<>();
        for (Gateway g : sorted) {
            GatewayPools mine = GatewayPools.of(g.ippools());
            List<String> lost = new ArrayList<>();
            Map<Family, List<IpRange>> keep = new TreeMap<>();
            for (Family f : Family.values()) {
                List<IpRange> ranges = new ArrayList<>(mine.pool(f).ranges());
                for (Gateway h : sorted) {
                    if (h.name().equals(g.name())) {
                        continue;
                    }
                    List<IpRange> shared = mine.pool(f).overlap(GatewayPools.of(h.ippools()).pool(f));
                    if (!shared.isEmpty() && beats(h, g, shared)) {
                        ranges = minus(ranges, shared);
                        lost.add(f.label() + " " + String.join(",", shared.stream().map(IpRange::text).toList())
                                + " also in the pool of gateway " + h.name() + ", which keeps "
                                + (shared.size() == 1 && shared.get(0).size().equals(BigInteger.ONE) ? "it" : "them"));
                    }
                }
                keep.put(f, ranges);
            }
            out.put(g.name(), new Resolved(lost.isEmpty() ? g : withPools(g, keep), lost));
        }
        return out;
    }

    /** Whether {@code h} keeps the addresses it shares with {@code g}. */
    private static boolean beats(Gateway h, Gateway g, List<IpRange> shared) {
        boolean hHolds = holds(h, shared);
        boolean gHolds = holds(g, shared);
        if (hHolds != gHolds) {
            return hHolds;
        }
        return h.name().compareTo(g.name()) < 0;
    }

    private static boolean holds(Gateway g, List<IpRange> shared) {
        if (g.status() == null) {
            return false;
        }
        for (GatewayNode n : g.status().nodeList()) {
            for (EipAssignment a : n.eips()) {
                for (String ip : new String[] {a.ipv4(), a.ipv6()}) {
                    var p = ip == null ? null : IpAddress.parse(ip);
                    if (p != null && p.isOk() && shared.stream().anyMatch(r -> r.contains(p.orElseThrow()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Gateway withPools(Gateway g, Map<Family, List<IpRange>> keep) {
        IpPools spec = g.ippools() == null ? IpPools.empty() : g.ippools();
        List<String> v4 = keep.get(Family.IPV4).stream().map(IpRange::text).toList();
        List<String> v6 = keep.get(Family.IPV6).stream().map(IpRange::text).toList();
        return new Gateway(g.name(), g.generation(), g.nodeSelector(),
                new IpPools(v4, v6, inside(spec.ipv4DefaultEIP(), keep.get(Family.IPV4)),
                        inside(spec.ipv6DefaultEIP(), keep.get(Family.IPV6))),
                g.clusterDefault(), g.status());
    }

    private static String inside(String ip, List<IpRange> ranges) {
        if (ip == null) {
            return null;
        }
        var a = IpAddress.parse(ip);
        return a.isOk() && ranges.stream().anyMatch(r -> r.contains(a.orElseThrow())) ? ip : null;
    }

    /** {@code from} without the addresses of {@code cut}; both sorted, disjoint ranges of one family. */
    static List<IpRange> minus(List<IpRange> from, List<IpRange> cut) {
        List<IpRange> out = new ArrayList<>();
        for (IpRange r : from) {
            List<IpRange> pieces = List.of(r);
            for (IpRange c : cut) {
                List<IpRange> next = new ArrayList<>();
                for (IpRange p : pieces) {
                    Optional<IpRange> i = p.intersection(c);
                    if (i.isEmpty()) {
                        next.add(p);
                        continue;
                    }
                    if (p.first().compareTo(i.get().first()) < 0) {
                        next.add(new IpRange(p.first(), step(i.get().first(), -1)));
                    }
                    if (i.get().last().compareTo(p.last()) < 0) {
                        next.add(new IpRange(step(i.get().last(), 1), p.last()));
                    }
                }
                pieces = next;
            }
            out.addAll(pieces);
        }
        return IpPool.of(from.isEmpty() ? Family.IPV4 : from.get(0).family(), out).ranges();
    }

    private static IpAddress step(IpAddress a, int by) {
        return IpAddress.of(a.family(), a.value().add(BigInteger.valueOf(by)));
    }
}
