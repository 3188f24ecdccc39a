package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;

/** Current gateways and policies, as admission needs them (pool overlaps, references, IPs in use). */
public interface ReadClusterResourcesPort {
    List<Gateway> gateways();

    List<Policy> policies();
}
