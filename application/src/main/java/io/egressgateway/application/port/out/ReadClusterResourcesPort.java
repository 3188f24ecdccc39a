package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Optional;

/**
 * Current gateways and policies, as admission needs them (pool overlaps, references, IPs in use),
 * and the cluster's networks (node addresses and service CIDRs no EIP or destination may take).
 */
public interface ReadClusterResourcesPort {
    List<Gateway> gateways();

    List<Policy> policies();

    /** EgressClusterInfo/default as the controller last published it; empty when unknown. */
    default Optional<ClusterInfo> clusterInfo() {
        return Optional.empty();
    }
}
