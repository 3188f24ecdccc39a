package io.egressgateway.application.port.out;

import io.egressgateway.domain.datapath.ConnectionPin;

/**
 * Deletes connection-tracking entries of the node, so that their next packet is tracked (and decided,
 * and NATed) afresh. Idempotent: entries that are already gone are no error.
 */
public interface DeleteConnectionsPort {
    /**
     * Deletes the entries of {@code pin}'s family whose connmark under {@code pin.mask()} equals
     * {@code pin.mark()}, and returns how many went (0 when none matched). Throws when the kernel
     * could not be asked; the caller retries later.
     */
    int deleteConnections(ConnectionPin pin);
}
