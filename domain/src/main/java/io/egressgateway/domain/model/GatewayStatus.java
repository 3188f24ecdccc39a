package io.egressgateway.domain.model;

import java.util.List;

/** {@code EgressGateway.status}, written by the controller only. {@code mark} is set in active-active. */
public record GatewayStatus(long observedGeneration, ForwardMethod forwardMethod, List<GatewayNode> nodeList,
                            IpUsage ipUsage, Long mark, List<Condition> conditions) {
    public GatewayStatus {
        nodeList = nodeList == null ? List.of() : List.copyOf(nodeList);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
