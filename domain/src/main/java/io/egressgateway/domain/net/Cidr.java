package io.egressgateway.domain.net;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A network: an address with its host bits zero and a prefix length. The host-bits question is
 * answered explicitly: {@link #parse} rejects {@code 10.0.0.1/24} and names the normalised form
 * {@code 10.0.0.0/24} in the message; {@link #parseLenient} accepts it, normalises, and says that
 * it did ({@link Lenient#normalised()}), so a webhook can warn or patch instead of guessing.
 */
public record Cidr(IpAddress network, int prefix) implements Comparable<Cidr> {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.family().bits();
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0.." + bits);
        }
        if (!network.value().and(hostMask(network.family(), prefix)).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException(network.text() + "/" + prefix + " has host bits set");
        }
    }

    /** A CIDR parsed leniently, and whether host bits had to be cleared. */
    public record Lenient(Cidr cidr, boolean normalised) {
    }

    /** The network containing {@code address} with this prefix (host bits cleared). */
    public static Cidr containing(IpAddress address, int prefix) {
        BigInteger net = address.value().andNot(hostMask(address.family(), prefix));
        return new Cidr(IpAddress.of(address.family(), net), prefix);
    }

    /** A single address as a /32 or /128. */
    public static Cidr host(IpAddress address) {
        return new Cidr(address, address.family().bits());
    }

    /** Strict: host bits must be zero; the error names the normalised form. */
    public static Parsed<Cidr> parse(String text) {
        return parseLenient(text).flatMap(l -> l.normalised()
                ? Parsed.error(text, "has host bits set; the network is " + l.cidr().text())
                : Parsed.ok(l.cidr()));
    }

    /** Strict, and of the given family. */
    public static Parsed<Cidr> parse(String text, Family family) {
        return parse(text).flatMap(c -> c.family() == family ? Parsed.ok(c)
                : Parsed.error(text, "is an " + c.family().label() + " CIDR, expected " + family.label()));
    }

    /** Lenient: host bits are cleared, and the result says whether that happened. */
    public static Parsed<Lenient> parseLenient(String text) {
        if (text == null || text.isEmpty()) {
            return Parsed.error(text == null ? "" : text, "is empty, expected a CIDR like 10.6.1.0/24");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Parsed.error(text, "has no prefix length, expected a CIDR like 10.6.1.0/24");
        }
        Parsed<IpAddress> address = IpAddress.parse(text.substring(0, slash));
        if (!address.isOk()) {
            return Parsed.error(text, "is not a CIDR: " + address.message());
        }
        IpAddress a = address.orElseThrow();
        Integer prefix = prefixLength(text.substring(slash + 1), a.family().bits());
        if (prefix == null) {
            return Parsed.error(text, "has an invalid prefix length, expected 0-" + a.family().bits());
        }
        Cidr c = containing(a, prefix);
        return Parsed.ok(new Lenient(c, !c.network().equals(a)));
    }

    /**
     * An address or a CIDR: a bare address is a /32 or /128. This is how {@code ipset list} prints
     * host members, so observed members go through here before they are compared.
     */
    public static Parsed<Cidr> parseAddressOrCidr(String text) {
        if (text != null && text.indexOf('/') < 0) {
            return IpAddress.parse(text).map(Cidr::host);
        }
        return parse(text);
    }

    private static Integer prefixLength(String s, int max) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return null;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v > max ? null : v;
    }

    static BigInteger hostMask(Family family, int prefix) {
        return BigInteger.ONE.shiftLeft(family.bits() - prefix).subtract(BigInteger.ONE);
    }

    public Family family() {
        return network.family();
    }

    public IpAddress first() {
        return network;
    }

    public IpAddress last() {
        return IpAddress.of(family(), network.value().or(hostMask(family(), prefix)));
    }

    /** Number of addresses, 2^(bits - prefix). */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(family().bits() - prefix);
    }

    public IpRange toRange() {
        return new IpRange(first(), last());
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && a.compareTo(first()) >= 0 && a.compareTo(last()) <= 0;
    }

    public boolean contains(Cidr other) {
        return other.family() == family() && other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /**
     * This CIDR in a form {@code ipset hash:net} accepts: a /0 is not a valid member, so it becomes
     * its two /1 halves; anything else is itself.
     */
    public List<Cidr> ipsetMembers() {
        if (prefix > 0) {
            return List.of(this);
        }
        BigInteger half = BigInteger.ONE.shiftLeft(family().bits() - 1);
        return List.of(new Cidr(network, 1), new Cidr(IpAddress.of(family(), half), 1));
    }

    /** Canonical text, always with a prefix length ({@code 10.0.0.0/24}, {@code 2001:db8::/32}). */
    public String text() {
        return network.text() + "/" + prefix;
    }

    @Override
    public String toString() {
        return text();
    }

    /** By family, then network address, then shorter prefix first. */
    @Override
    public int compareTo(Cidr o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }
}
