package io.egressgateway.domain.datapath;

import java.util.List;

/** One of the node's network interfaces as the kernel reports it; addresses are CIDRs ("10.6.0.10/16"). */
public record InterfaceFacts(String name, int mtu, String mac, List<String> ipv4, List<String> ipv6) {
    public InterfaceFacts {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }
}
