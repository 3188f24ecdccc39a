package io.egressgateway.domain.model;

import java.util.List;

/** One pod a policy selects, as an {@code EgressEndpointSlice} lists it. */
public record Endpoint(String namespace, String pod, String node, List<String> ipv4, List<String> ipv6) {
    public Endpoint {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }
}
