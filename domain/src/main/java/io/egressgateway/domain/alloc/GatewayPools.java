package io.egressgateway.domain.alloc;

import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.IpRange;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A gateway's pools parsed for allocation. Entries that do not parse are left out here (admission
 * rejects them, and {@code validation} reports them with their field path), so a bad entry that
 * slipped in never stops allocation from the good ones. The default EIP of a family is the
 * configured one when it lies in the pool, else the first address of the first entry.
 */
public record GatewayPools(IpPool ipv4, IpPool ipv6, Optional<IpAddress> defaultV4, Optional<IpAddress> defaultV6) {

    public static GatewayPools of(IpPools spec) {
        IpPools s = spec == null ? IpPools.empty() : spec;
        IpPool v4 = pool(Family.IPV4, s.ipv4());
        IpPool v6 = pool(Family.IPV6, s.ipv6());
        return new GatewayPools(v4, v6, defaultOf(v4, s.ipv4DefaultEIP()), defaultOf(v6, s.ipv6DefaultEIP()));
    }

    public IpPool pool(Family family) {
        return family == Family.IPV4 ? ipv4 : ipv6;
    }

    public Optional<IpAddress> defaultEip(Family family) {
        return family == Family.IPV4 ? defaultV4 : defaultV6;
    }

    public boolean isEmpty() {
        return ipv4.isEmpty() && ipv6.isEmpty();
    }

    private static IpPool pool(Family family, List<String> entries) {
        List<IpRange> ranges = new ArrayList<>();
        for (String e : entries) {
            Parsed<IpPool.Entry> entry = IpPool.parseEntry(e, family);
            if (entry.isOk()) {
                ranges.add(entry.orElseThrow().range());
            }
        }
        return IpPool.of(family, ranges);
    }

    private static Optional<IpAddress> defaultOf(IpPool pool, String configured) {
        if (configured != null && !configured.isEmpty()) {
            Parsed<IpAddress> p = IpAddress.parse(configured, pool.family());
            if (p.isOk() && pool.contains(p.orElseThrow())) {
                return Optional.of(p.orElseThrow());
            }
        }
        return pool.firstWritten();
    }
}
