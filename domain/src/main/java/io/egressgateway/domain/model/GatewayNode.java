package io.egressgateway.domain.model;

import java.util.List;

/** One entry of {@code EgressGateway.status.nodeList}. */
public record GatewayNode(String name, NodeReadiness status, boolean active, List<NodeInterface> interfaces,
                          List<EipAssignment> eips) {
    public GatewayNode {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        eips = eips == null ? List.of() : List.copyOf(eips);
    }
}
