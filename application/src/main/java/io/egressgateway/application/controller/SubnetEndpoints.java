package io.egressgateway.application.controller;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pods of the podSubnet policies, kept by the controller instead of written as
 * EgressEndpointSlices: an agent steers a podSubnet policy's subnets as they are and never reads
 * its endpoints, so slices would only cost writes and every agent's memory. The controller still
 * needs them for {@code status.endpoints} and for the nodes a policy's pods run on that no agent
 * serves. Refreshed by every pass that re-selects endpoints (Pods, Namespaces or policies changed),
 * read by the others. One per reconciler (a new leadership term starts with a full pass).
 */
final class SubnetEndpoints {
    private final Map<String, List<Endpoint>> byPolicy = new HashMap<>();

    static boolean bySubnet(Policy p) {
        return p.appliedTo() != null && p.appliedTo().podSelector() == null && p.appliedTo().podSubnet() != null;
    }

    /** Forgets policies that are gone. */
    void retain(Set<String> policies) {
        byPolicy.keySet().retainAll(policies);
    }

    /** Keeps a podSubnet policy's selection and returns what its slices must list (nothing for it). */
    List<Endpoint> remember(Policy p, List<Endpoint> selected) {
        if (bySubnet(p)) {
            byPolicy.put(p.name(), List.copyOf(selected));
            return List.of();
        }
        byPolicy.remove(p.name());
        return selected;
    }

    /** Endpoint counts of the podSubnet policies, from the last selection. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new HashMap<>();
        byPolicy.forEach((k, v) -> out.put(k, v.size()));
        return out;
    }

    /** A policy's endpoints: remembered for a podSubnet policy, else those its slices list. */
    List<Endpoint> endpointsOf(Policy p, List<EndpointSlice> slices) {
        List<Endpoint> kept = byPolicy.get(p.name());
        if (kept != null) {
            return kept;
        }
        List<Endpoint> out = new ArrayList<>();
        for (EndpointSlice sl : slices) {
            if (p.name().equals(sl.policy())) {
                out.addAll(sl.endpoints());
            }
        }
        return out;
    }
}
