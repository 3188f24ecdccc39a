package io.egressgateway.domain.model;

import java.util.List;

/** A node's physical interface and its addresses (CIDRs), as its agent reports them. */
public record NodeInterface(String name, List<String> ipv4, List<String> ipv6) {
    public NodeInterface {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }
}
