package io.egressgateway.domain.model;

import java.util.List;

/** An EIP pair placed on a gateway node and the policies using it (either address may be null). */
public record EipAssignment(String ipv4, String ipv6, List<String> policies) {
    public EipAssignment {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }
}
