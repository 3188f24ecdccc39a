package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.Endpoint;
import java.util.List;

/**
 * EgressEndpointSlices, written by the controller only. Created slices are named
 * {@code <policy>-<suffix>}, labelled with the policy and owned by it (so they go with it).
 */
public interface UpdateEndpointSlicesPort {
    /** Returns the new slice's name, or null when the policy is gone. */
    String create(String policy, List<Endpoint> endpoints);

    boolean update(String slice, List<Endpoint> endpoints);

    boolean delete(String slice);
}
