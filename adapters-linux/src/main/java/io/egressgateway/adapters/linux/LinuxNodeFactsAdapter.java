package io.egressgateway.adapters.linux;

import io.egressgateway.application.port.out.ReadNodeFactsPort;
import io.egressgateway.domain.datapath.NodeFacts;

/** The node's interfaces and default-route devices, from netlink dumps in the node's namespace. */
final class LinuxNodeFactsAdapter implements ReadNodeFactsPort {
    private final LinuxDatapath owner;
    private final NetlinkObserver netlink;

    LinuxNodeFactsAdapter(LinuxDatapath owner, NetlinkObserver netlink) {
        this.owner = owner;
        this.netlink = netlink;
    }

    @Override
    public NodeFacts read() {
        return owner.executor().call(netlink::facts);
    }
}
