package io.egressgateway.domain.net;

import java.util.Objects;

/**
 * An address with the prefix length of its network, as interfaces carry them and as EgressNode
 * stores tunnel addresses ({@code 172.31.0.10/16}): unlike a {@link Cidr}, host bits are the point.
 */
public record InterfaceAddress(IpAddress address, int prefix) implements Comparable<InterfaceAddress> {

    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        if (prefix < 0 || prefix > address.family().bits()) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0.." + address.family().bits());
        }
    }

    /** Parses {@code address/prefix}; the address keeps its host bits. */
    public static Parsed<InterfaceAddress> parse(String text) {
        if (text == null || text.indexOf('/') < 0) {
            return Parsed.error(text == null ? "" : text, "is not an address with a prefix length, like 172.31.0.10/16");
        }
        Parsed<Cidr.Lenient> network = Cidr.parseLenient(text);
        if (!network.isOk()) {
            return Parsed.error(text, "is not an address with a prefix length: " + network.message());
        }
        IpAddress address = IpAddress.parse(text.substring(0, text.indexOf('/'))).orElseThrow();
        return Parsed.ok(new InterfaceAddress(address, network.orElseThrow().cidr().prefix()));
    }

    public Family family() {
        return address.family();
    }

    public Cidr network() {
        return Cidr.containing(address, prefix);
    }

    public String text() {
        return address.text() + "/" + prefix;
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public int compareTo(InterfaceAddress o) {
        int c = address.compareTo(o.address);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }
}
