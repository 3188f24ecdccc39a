package io.egressgateway.domain.model;

import java.util.List;

/**
 * {@code EgressGateway.spec.ippools}: entries are a single IP, an inclusive range {@code a-b}, or a
 * CIDR, as the user wrote them. The default EIPs are filled in by the mutating webhook.
 */
public record IpPools(List<String> ipv4, List<String> ipv6, String ipv4DefaultEIP, String ipv6DefaultEIP) {
    public IpPools {
        ipv4 = ipv4 == null ? List.of() : List.copyOf(ipv4);
        ipv6 = ipv6 == null ? List.of() : List.copyOf(ipv6);
    }

    public static IpPools empty() {
        return new IpPools(List.of(), List.of(), null, null);
    }

    public boolean isEmpty() {
        return ipv4.isEmpty() && ipv6.isEmpty();
    }
}
