package io.egressgateway.domain.model;

/** {@code EgressGatewayPolicy.spec.egressIP}; mode null means "not given" (defaulted from the pool). */
public record EgressIpSpec(EgressIpMode mode, String ipv4, String ipv6, AllocatorPolicy allocatorPolicy) {
}
