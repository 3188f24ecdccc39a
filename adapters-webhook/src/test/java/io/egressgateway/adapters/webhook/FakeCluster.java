package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.out.ReadClusterResourcesPort;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The informer caches admission reads, as plain lists a test fills. */
final class FakeCluster implements ReadClusterResourcesPort {
    final List<Gateway> gateways = new CopyOnWriteArrayList<>();
    final List<Policy> policies = new CopyOnWriteArrayList<>();

    @Override
    public List<Gateway> gateways() {
        return List.copyOf(gateways);
    }

    @Override
    public List<Policy> policies() {
        return List.copyOf(policies);
    }
}
