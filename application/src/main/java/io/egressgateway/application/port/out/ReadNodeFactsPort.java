package io.egressgateway.application.port.out;

import io.egressgateway.domain.datapath.NodeFacts;

/** Reads the node's interfaces, addresses and default-route devices from the kernel. */
public interface ReadNodeFactsPort {
    NodeFacts read();
}
