package io.egressgateway.domain.net;

/** An IP address family. Dual-stack code keeps the two apart everywhere: sets, chains, rules, routes. */
public enum Family {
    IPV4("v4", 32),
    IPV6("v6", 128);

    private final String suffix;
    private final int bits;

    Family(String suffix, int bits) {
        this.suffix = suffix;
        this.bits = bits;
    }

    /** "v4" or "v6", as used in owned object names such as {@code egress-vxlan-v4}. */
    public String suffix() {
        return suffix;
    }

    public int bits() {
        return bits;
    }

    /** "IPv4" or "IPv6", for messages. */
    public String label() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }

    /** The family of a textual address or CIDR: a colon means IPv6. */
    public static Family of(String addressOrCidr) {
        return addressOrCidr.indexOf(':') >= 0 ? IPV6 : IPV4;
    }
}
