package io.egressgateway.domain.model;

import java.util.List;

/** {@code EgressGatewayPolicy.status}, written by the controller only. */
public record PolicyStatus(long observedGeneration, String eipV4, String eipV6, String node, List<String> nodes,
                           int endpoints, List<Condition> conditions) {
    public PolicyStatus {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
