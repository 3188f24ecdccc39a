package io.egressgateway.domain.plan;

import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.net.Family;
import java.util.List;

/**
 * What one policy means on this node for one address family: its source and destination sets, the
 * decision a new connection gets here, and, when this node carries the policy, how it is NATed.
 */
record PolicyPlan(String policy, int priority, Family family, String srcSet, List<String> srcMembers, String dstSet,
                  List<String> dstMembers, boolean excludeCluster, Decision decision, Snat snat) {

    /** The mark a new connection of this policy gets on this node. */
    record Decision(Type type, long mark) {
        enum Type {
            /** The policy's gateway is this node: the base mark claims the packet, it takes no tunnel. */
            CLAIM,
            /** Steer to a node's (or an active-active gateway's) table. */
            REMOTE,
            /**
             * The gateway has a Ready node but the policy's node is not usable from here (a move is
             * under way): the fail-closed table refuses it until the policy is steered again, so it
             * never leaves with this node's address in between. Independent of {@code failClosed}.
             */
            HOLD,
            /** No Ready gateway node at all and failClosed: the fail-closed table refuses it. */
            FAIL_CLOSED,
            /** No Ready gateway node at all: the packet takes its normal path. */
            NONE
        }

        static final Decision NONE = new Decision(Type.NONE, 0);

        boolean marks() {
            return type != Type.NONE;
        }

        /** The packet is refused by the fail-closed table. */
        boolean refuses() {
            return type == Type.HOLD || type == Type.FAIL_CLOSED;
        }
    }

    /** The NAT this node applies as the policy's gateway: SNAT to an EIP, masquerade, or keep the source. */
    record Snat(EgressIpMode mode, String eip) {
    }

    boolean carried() {
        return snat != null;
    }
}
