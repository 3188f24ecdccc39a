package io.egressgateway.adapters.linux;

import io.egressgateway.application.port.out.DeleteConnectionsPort;
import io.egressgateway.domain.datapath.ConnectionPin;

/**
 * Deletes conntrack entries by connmark with the {@code conntrack} tool, on the namespace thread (so
 * it runs between applies, never during one, and in the node's namespace).
 */
final class LinuxDeleteConnectionsAdapter implements DeleteConnectionsPort {
    private final LinuxDatapath owner;

    LinuxDeleteConnectionsAdapter(LinuxDatapath owner) {
        this.owner = owner;
    }

    @Override
    public int deleteConnections(ConnectionPin pin) {
        return owner.deleteConnections(pin.family(), pin.mark(), pin.mask());
    }
}
