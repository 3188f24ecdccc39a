package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.EgressNode;

/**
 * The controller's writes to EgressNodes. Each write re-reads, retries on 409 and writes nothing
 * when the object already says the same; each returns whether it wrote.
 */
public interface UpdateEgressNodesPort {
    /** Creates the EgressNode for a Node, with the controller's finalizer, when it does not exist. */
    boolean create(String name);

    /** Writes the controller's status fields (phase, tunnel IPs, MAC, mark, its conditions), keeping the agent's. */
    boolean writeStatus(EgressNode desired);

    /** The Node is gone: removes the finalizer and deletes the EgressNode (allocations are freed by that). */
    boolean release(String name);
}
