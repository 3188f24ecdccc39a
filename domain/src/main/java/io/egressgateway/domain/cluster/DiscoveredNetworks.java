package io.egressgateway.domain.cluster;

import java.util.List;

/**
 * Cluster networks read from the API server besides Nodes: ServiceCIDR objects and Calico IPPools.
 * {@code serviceCidrApi} / {@code calicoApi} name the API version that was found (for example
 * {@code networking.k8s.io/v1}), or are null when the cluster does not serve that kind; an API that
 * is served but holds no object is known and empty.
 */
public record DiscoveredNetworks(String serviceCidrApi, List<Named> serviceCIDRs, String calicoApi,
                                 List<Named> calicoPools) {
    public static final DiscoveredNetworks NONE = new DiscoveredNetworks(null, List.of(), null, List.of());

    /** The CIDRs of one object, {@code from} being {@code Kind/name}. */
    public record Named(String from, List<String> cidrs) {
        public Named {
            cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
        }
    }

    public DiscoveredNetworks {
        serviceCIDRs = serviceCIDRs == null ? List.of() : List.copyOf(serviceCIDRs);
        calicoPools = calicoPools == null ? List.of() : List.copyOf(calicoPools);
    }
}
