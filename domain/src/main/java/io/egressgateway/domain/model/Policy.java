package io.egressgateway.domain.model;

import java.util.List;

/**
 * An {@code EgressGatewayPolicy}. An empty {@code destCIDR} means every destination outside the
 * cluster's own networks. Higher {@code priority} wins; ties are broken by name. Status may be null.
 */
public record Policy(String name, long generation, String egressGatewayName, AppliedTo appliedTo,
                     List<String> destCIDR, EgressIpSpec egressIP, int priority, PolicyStatus status) {
    public Policy {
        destCIDR = destCIDR == null ? List.of() : List.copyOf(destCIDR);
    }
}
