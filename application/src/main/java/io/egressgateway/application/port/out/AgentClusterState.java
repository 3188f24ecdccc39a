package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Optional;

/**
 * An immutable view of what the agent's informers hold, taken once per pass. Lists are sorted by
 * name so that two agents seeing the same objects compute the same datapath.
 */
public record AgentClusterState(List<EgressNode> egressNodes, List<Gateway> gateways, List<Policy> policies,
                                List<EndpointSlice> endpointSlices, Optional<ClusterInfo> clusterInfo) {
    public AgentClusterState {
        egressNodes = List.copyOf(egressNodes);
        gateways = List.copyOf(gateways);
        policies = List.copyOf(policies);
        endpointSlices = List.copyOf(endpointSlices);
    }
}
