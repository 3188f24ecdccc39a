package io.egressgateway.domain.datapath;

/** An address on an owned device, added with noprefixroute (and nodad for IPv6): routes are onlink. */
public record LinkAddress(String device, String cidr) implements DatapathObject {
    @Override public Kind kind() { return Kind.ADDRESS; }
    @Override public String key() { return device + " " + cidr; }
    @Override public String render() { return "address " + cidr + " dev " + device + " noprefixroute"; }
}
