package io.egressgateway.application.port.out;

/**
 * Writes the agent-owned fields of this node's EgressNode status, re-reading before it writes and
 * retrying on conflict; writes nothing when the fields already say the same. Returns whether it wrote.
 */
public interface UpdateOwnEgressNodePort {
    boolean update(String nodeName, AgentNodeReport report);
}
