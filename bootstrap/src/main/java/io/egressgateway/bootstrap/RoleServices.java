package io.egressgateway.bootstrap;

import io.egressgateway.application.lifecycle.Service;
import java.util.List;

/** A role's services in start order (they stop in reverse). */
record RoleServices(List<Service> services) {
    RoleServices {
        services = List.copyOf(services);
    }
}
