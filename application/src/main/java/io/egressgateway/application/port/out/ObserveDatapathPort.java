package io.egressgateway.application.port.out;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.OwnershipScope;

/** Reads the owned part of the node's datapath back from the kernel. Reads nothing outside the scope. */
public interface ObserveDatapathPort {
    Datapath observe(OwnershipScope scope);
}
