package io.egressgateway.domain.datapath;

/**
 * One kernel object the agent owns. {@link #key()} is its identity within its kind (two objects
 * with one key are the same kernel object, perhaps in different states); {@link #sameAs} says
 * whether an observed object already matches the desired one, which for iptables compares rule
 * hashes rather than text, because iptables-save rewrites rules.
 */
public sealed interface DatapathObject
        permits Sysctl, TunnelLink, LinkAddress, Neighbour, FdbEntry, EipAnnouncement, IpSet, Route,
                RouteRule, TrafficCounter, IptablesChain, IptablesJump {

    Kind kind();

    String key();

    /** One line of canonical text, used by golden files and by humans debugging a node. */
    String render();

    default boolean sameAs(DatapathObject other) {
        return equals(other);
    }
}
