package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One read of the cluster for {@code egressgateway ctl}, lists sorted by name. {@code egressNodes}
 * carry {@code programmed} from the nodes' heartbeat Leases; {@code heartbeats} is each Lease's
 * renewTime (the agent's clock); {@code moveRequests} the gateways' EIP move annotations.
 */
public record EgressState(List<ClusterNode> nodes, List<EgressNode> egressNodes, List<Gateway> gateways,
                          List<Policy> policies, Optional<ClusterInfo> clusterInfo, Map<String, Instant> heartbeats,
                          Map<String, String> moveRequests) {
    public EgressState {
        nodes = List.copyOf(nodes);
        egressNodes = List.copyOf(egressNodes);
        gateways = List.copyOf(gateways);
        policies = List.copyOf(policies);
        heartbeats = Map.copyOf(heartbeats);
        moveRequests = Map.copyOf(moveRequests);
    }

    public Optional<Gateway> gateway(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public Optional<EgressNode> egressNode(String name) {
        return egressNodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
