package io.egressgateway.domain.election;

import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.NodeReadiness;

/**
 * Whether a gateway node may carry traffic. Ready: the Node's Ready condition is True, its
 * EgressNode exists, its phase is neither HeartbeatTimeout nor Failed, and the controller has not
 * found its Lease expired. Unknown: no EgressNode yet (the controller has not seen the node's
 * tunnel facts). NotReady otherwise.
 */
public final class NodeReadinessRule {
    private NodeReadinessRule() {
    }

    public static NodeReadiness of(ClusterNode node, EgressNode egressNode, boolean heartbeatExpired) {
        if (node == null || !node.ready() || heartbeatExpired) {
            return NodeReadiness.NotReady;
        }
        if (egressNode == null) {
            return NodeReadiness.Unknown;
        }
        EgressNodePhase phase = egressNode.phase();
        if (phase == EgressNodePhase.HeartbeatTimeout || phase == EgressNodePhase.Failed) {
            return NodeReadiness.NotReady;
        }
        return NodeReadiness.Ready;
    }
}
