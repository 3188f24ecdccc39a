package io.egressgateway.application.port.out;

/**
 * Renews the Lease {@code egress-node-<node>} in the project's namespace (creating it if missing).
 * Returns false when the API server could not be reached or refused: the caller decides about fencing.
 */
public interface RenewHeartbeatPort {
    boolean renew(String nodeName);
}
