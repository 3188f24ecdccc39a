package io.egressgateway.application.port.out;

/**
 * Renews the Lease {@code egress-node-<node>} in the project's namespace (creating it if missing).
 * Returns false when the API server could not be reached or refused: the caller decides about fencing.
 */
public interface RenewHeartbeatPort {
    /** Renews; clears a "restarting" mark a predecessor left. */
    boolean renew(String nodeName);

    /**
     * A stopping agent's last renewal, marked "restarting": the controller then gives the node the slow
     * limit ({@code interval + evictionTimeout}) once, so that an agent restart (a rolling upgrade)
     * is not a failover. The next {@link #renew} clears the mark.
     */
    default boolean renewRestarting(String nodeName) {
        return renew(nodeName);
    }
}
