package io.egressgateway.domain.election;

import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.move.EipMoveRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one gateway's election depends on. {@code gateway.status()} is the previous status
 * (null on first sight); {@code nodes} may be all Nodes (the gateway's selector picks); policies
 * may be all policies (those naming this gateway, or naming none when it is the cluster default,
 * are used). {@code heartbeatExpired} names nodes whose Lease the controller found older than the
 * eviction timeout; {@code mark} is the gateway's active-active mark (ignored in active-passive);
 * {@code now} stamps conditions that change. {@code unproven} names Ready nodes whose agent the
 * controller has not yet seen renew: they keep what they carry but get nothing new. {@code move} is
 * the gateway's EIP move request (null when none), {@code moveSettle} how long a moving EIP stays on
 * no node before it is placed on the requested one ({@link EipMoveStep}).
 */
public record ElectionInput(Gateway gateway, List<ClusterNode> nodes, List<EgressNode> egressNodes,
                            Set<String> heartbeatExpired, List<Policy> policies, ForwardMethod forwardMethod, Long mark,
                            Instant now, Set<String> unproven, EipMoveRequest move, Duration moveSettle) {
    public ElectionInput(Gateway gateway, List<ClusterNode> nodes, List<EgressNode> egressNodes,
                         Set<String> heartbeatExpired, List<Policy> policies, ForwardMethod forwardMethod, Long mark,
                         Instant now, Set<String> unproven) {
        this(gateway, nodes, egressNodes, heartbeatExpired, policies, forwardMethod, mark, now, unproven, null,
                Duration.ZERO);
    }

    public ElectionInput(Gateway gateway, List<ClusterNode> nodes, List<EgressNode> egressNodes,
                         Set<String> heartbeatExpired, List<Policy> policies, ForwardMethod forwardMethod, Long mark,
                         Instant now) {
        this(gateway, nodes, egressNodes, heartbeatExpired, policies, forwardMethod, mark, now, Set.of());
    }

    public ElectionInput {
        Objects.requireNonNull(gateway, "gateway");
        nodes = List.copyOf(nodes);
        egressNodes = List.copyOf(egressNodes);
        heartbeatExpired = heartbeatExpired == null ? Set.of() : Set.copyOf(heartbeatExpired);
        policies = List.copyOf(policies);
        Objects.requireNonNull(forwardMethod, "forwardMethod");
        Objects.requireNonNull(now, "now");
        unproven = unproven == null ? Set.of() : Set.copyOf(unproven);
        moveSettle = moveSettle == null ? Duration.ZERO : moveSettle;
    }
}
