package io.egressgateway.domain.model;

import java.util.List;

/**
 * {@code EgressClusterInfo/default}: the networks that are the cluster's own and never go to a gateway.
 * While {@code complete} is false (no pod or no service network known), policies with an empty
 * destCIDR are not programmed. {@code sources} says where each pod, service and extra CIDR came from.
 */
public record ClusterInfo(List<String> podCIDRs, List<String> serviceCIDRs, List<String> nodeIPs,
                          List<String> tunnelCIDRs, List<String> eipPools, List<String> always,
                          List<String> extraCIDRs, boolean complete, List<CidrSource> sources) {
    public static final List<String> ALWAYS = List.of("127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "::1/128",
            "fe80::/10", "ff00::/8");

    /** One CIDR of {@code network} ({@code pod}, {@code service}, {@code extra}) and what gave it. */
    public record CidrSource(String network, String cidr, String from) {
    }

    public ClusterInfo(List<String> podCIDRs, List<String> serviceCIDRs, List<String> nodeIPs,
                       List<String> tunnelCIDRs, List<String> eipPools, List<String> always,
                       List<String> extraCIDRs, boolean complete) {
        this(podCIDRs, serviceCIDRs, nodeIPs, tunnelCIDRs, eipPools, always, extraCIDRs, complete, List.of());
    }

    public ClusterInfo {
        podCIDRs = List.copyOf(podCIDRs);
        serviceCIDRs = List.copyOf(serviceCIDRs);
        nodeIPs = List.copyOf(nodeIPs);
        tunnelCIDRs = List.copyOf(tunnelCIDRs);
        eipPools = List.copyOf(eipPools);
        always = List.copyOf(always);
        extraCIDRs = List.copyOf(extraCIDRs);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * Every list an empty destCIDR excludes, by its status field name, in a fixed order: the agent's
     * cluster ipset is their union, and {@code ctl explain} names the list that excludes a destination.
     */
    public java.util.Map<String, List<String>> excluded() {
        java.util.LinkedHashMap<String, List<String>> out = new java.util.LinkedHashMap<>();
        out.put("podCIDRs", podCIDRs);
        out.put("serviceCIDRs", serviceCIDRs);
        out.put("nodeIPs", nodeIPs);
        out.put("tunnelCIDRs", tunnelCIDRs);
        out.put("eipPools", eipPools);
        out.put("always", always);
        out.put("extraCIDRs", extraCIDRs);
        return java.util.Collections.unmodifiableMap(out);
    }
}
