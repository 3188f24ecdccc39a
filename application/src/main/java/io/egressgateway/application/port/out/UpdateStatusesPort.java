package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.PolicyStatus;
import java.util.List;

/**
 * Controller-owned statuses. Each write re-reads, retries on 409 and writes nothing when the status
 * already says the same (conditions compared without their transition time); returns whether it wrote.
 */
public interface UpdateStatusesPort {
    boolean gatewayStatus(String gateway, GatewayStatus status);

    boolean policyStatus(String policy, PolicyStatus status);

    /** Creates {@code EgressClusterInfo/default} when missing, then writes its status. */
    boolean clusterInfo(ClusterInfo info, List<Condition> conditions);
}
