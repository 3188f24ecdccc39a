package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import java.util.List;
import java.util.Map;

/**
 * The decisions of one pass, behind one seam so that the loop can be tested with a simple planner:
 * the desired datapath of this node, what the agent owns, which policy generations the desired
 * datapath programs, and which connection pins (gateways) a change of datapath drops. Pure: no I/O.
 */
public interface DatapathPlanning {
    /** {@code fenced}: plan without EIP announcements (the heartbeat is lost; see docs/failover.md). */
    Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced);

    /**
     * The same, knowing the sysctls observed on the node (path relative to /proc/sys to value): a
     * node-wide value someone else chose is then planned as it is (NodeWideSysctls.onlyWhereZero).
     */
    default Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced, Map<String, String> observedSysctls) {
        return plan(state, facts, fenced);
    }

    OwnershipScope scope(AgentClusterState state);

    /** Policy name -> generation, for the policies this node's desired datapath programs. */
    Map<String, Long> programmedGenerations(AgentClusterState state);

    /** Pins {@code before} restores on connections and {@code after} no longer does: lost gateways. */
    List<ConnectionPin> lostPins(Datapath before, Datapath after);

    /** True when {@code d} restores {@code pin} (its gateway is valid in {@code d}). */
    boolean restores(Datapath d, ConnectionPin pin);
}
