package io.egressgateway.domain.alloc;

import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.InterfaceAddress;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Tunnel addresses for nodes from one tunnel CIDR ({@code tunnel.ipv4CIDR} or {@code ipv6CIDR}).
 * Values are rendered as {@code address/prefix} of the tunnel CIDR ({@code 172.31.0.10/16}), as
 * EgressNode stores them. IPv4 skips the network and broadcast addresses (except in /31 and /32,
 * RFC 3021); IPv6 skips the all-zero Subnet-Router anycast address (except in /127 and /128).
 */
public final class TunnelIpAllocator {
    private final Cidr cidr;

    public TunnelIpAllocator(Cidr cidr) {
        this.cidr = cidr;
    }

    public static Parsed<TunnelIpAllocator> parse(String cidrText) {
        return Cidr.parse(cidrText).map(TunnelIpAllocator::new);
    }

    public Cidr cidr() {
        return cidr;
    }

    /** How many nodes can get an address. */
    public BigInteger capacity() {
        BigInteger n = cidr.size();
        int hostBits = cidr.family().bits() - cidr.prefix();
        if (hostBits <= 1) {
            return n;
        }
        return cidr.family() == Family.IPV4 ? n.subtract(BigInteger.TWO) : n.subtract(BigInteger.ONE);
    }

    /**
     * Gives every node in {@code nodes} an address, keeping the addresses in {@code existing}
     * (node name to {@code address/prefix} or a bare address, as read from EgressNode status) where
     * they are valid and unique. Existing values are re-rendered with the configured prefix.
     */
    public Allocation<String> allocate(Collection<String> nodes, Map<String, String> existing) {
        IpAddress[] cursor = {firstUsable()};
        Allocation<IpAddress> a = Claims.resolve(nodes, existing, this::claim,
                (key, used) -> next(cursor, used), IpAddress::text);
        SortedMap<String, String> rendered = new TreeMap<>();
        a.assigned().forEach((k, v) -> rendered.put(k, new InterfaceAddress(v, cidr.prefix()).text()));
        return new Allocation<>(rendered, a.conflicts(), a.invalid(), a.exhausted());
    }

    private Claims.Result<IpAddress> claim(String text) {
        Parsed<IpAddress> p = text.indexOf('/') >= 0
                ? InterfaceAddress.parse(text).map(InterfaceAddress::address)
                : IpAddress.parse(text);
        if (!p.isOk()) {
            return Claims.Result.bad(p.message());
        }
        IpAddress a = p.orElseThrow();
        if (!cidr.contains(a)) {
            return Claims.Result.bad(a.text() + " is outside the tunnel CIDR " + cidr.text());
        }
        if (reserved(a)) {
            return Claims.Result.bad(a.text() + " is the network or broadcast address of " + cidr.text());
        }
        return Claims.Result.ok(a);
    }

    private boolean reserved(IpAddress a) {
        int hostBits = cidr.family().bits() - cidr.prefix();
        if (hostBits <= 1) {
            return false;
        }
        return a.equals(cidr.first()) || (cidr.family() == Family.IPV4 && a.equals(cidr.last()));
    }

    private IpAddress firstUsable() {
        IpAddress first = cidr.first();
        return reserved(first) ? first.next().orElseThrow() : first;
    }

    // The lowest free address only grows while new values are handed out, so a cursor makes a pass linear.
    private Optional<IpAddress> next(IpAddress[] cursor, NavigableSet<IpAddress> used) {
        IpAddress c = cursor[0];
        while (c != null && cidr.contains(c) && (used.contains(c) || reserved(c))) {
            c = c.next().orElse(null);
        }
        if (c == null || !cidr.contains(c)) {
            cursor[0] = null;
            return Optional.empty();
        }
        cursor[0] = c;
        return Optional.of(c);
    }
}
