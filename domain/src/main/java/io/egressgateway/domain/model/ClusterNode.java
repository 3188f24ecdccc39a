package io.egressgateway.domain.model;

import java.util.List;
import java.util.Map;

/** A Kubernetes Node as the decisions see it: labels, its Ready condition, pod CIDRs, InternalIPs. */
public record ClusterNode(String name, Map<String, String> labels, boolean ready, List<String> podCIDRs,
                          List<String> internalIPs) {
    public ClusterNode {
        labels = Map.copyOf(labels);
        podCIDRs = List.copyOf(podCIDRs);
        internalIPs = List.copyOf(internalIPs);
    }
}
