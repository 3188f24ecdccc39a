package io.egressgateway.domain.election;

import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressIpMode;
import java.util.List;
import java.util.Optional;

/**
 * What the election decided for one policy: its effective mode, EIPs (null where none), the node
 * carrying it ({@code node}, null in active-active for NodeIP/None or when none is Ready), all
 * nodes carrying it ({@code nodes}: one in active-passive, every Ready node in active-active for
 * NodeIP/None), and the conditions NoGatewayNode, PoolExhausted and InvalidSpec, always all three
 * (status True or False), so the controller can replace these types in the policy's status.
 */
public record PolicyDecision(String policy, EgressIpMode mode, String eipV4, String eipV6, String node,
                             List<String> nodes, List<Condition> conditions) {
    public static final String NO_GATEWAY_NODE = "NoGatewayNode";
    public static final String POOL_EXHAUSTED = "PoolExhausted";
    public static final String INVALID_SPEC = "InvalidSpec";

    public PolicyDecision {
        nodes = List.copyOf(nodes);
        conditions = List.copyOf(conditions);
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** True when the policy carries traffic through at least one node. */
    public boolean placed() {
        return !nodes.isEmpty();
    }
}
