package io.egressgateway.domain.model;

import java.util.List;

/** An {@code EgressEndpointSlice}: at most maxEndpointsPerSlice endpoints of one policy. */
public record EndpointSlice(String name, String policy, List<Endpoint> endpoints) {
    public EndpointSlice {
        endpoints = List.copyOf(endpoints);
    }
}
