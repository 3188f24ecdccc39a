package io.egressgateway.testbed;

import java.util.List;

/** Which iptables the node namespaces start with; the agent must find and use the same one. */
public enum IptablesBackend {
    NFT("nft"),
    LEGACY("legacy");

    private final String suffix;

    IptablesBackend(String suffix) {
        this.suffix = suffix;
    }

    /** {@code iptables-nft} / {@code iptables-legacy}, or the ip6tables twin. */
    public String iptables(boolean ipv6) {
        return (ipv6 ? "ip6tables-" : "iptables-") + suffix;
    }

    /** The matching {@code -save} command. */
    public String save(boolean ipv6) {
        return iptables(ipv6) + "-save";
    }

    /** Parses {@code nft} / {@code legacy} (any case); names the bad value otherwise. */
    public static IptablesBackend parse(String value) {
        for (IptablesBackend b : values()) {
            if (b.suffix.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("iptables backend must be one of " + List.of("nft", "legacy")
                + ", got \"" + value + "\"");
    }
}
