package io.egressgateway.domain.validation;

import io.egressgateway.domain.model.ClusterInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * What the address rules need to know about the network around the cluster: the nodes' own
 * addresses and the service CIDRs (from EgressClusterInfo, or computed by the controller),
 * addresses configured as never to be taken ({@code cluster.protectedIPs}: the subnet's router,
 * an API server VIP), and the shortest prefix an EIP pool entry may have per family
 * ({@code cluster.minEipPoolPrefixV4/V6}). Entries that do not parse are ignored here: whoever
 * owns them reports them.
 */
public record NetworkContext(List<String> nodeIPs, List<String> serviceCIDRs, List<String> protectedIPs,
                             int minPoolPrefixV4, int minPoolPrefixV6) {
    /** The documented defaults: an EIP pool entry holds at most a /16 of IPv4 or a /64 of IPv6. */
    public static final int DEFAULT_MIN_POOL_PREFIX_V4 = 16;
    public static final int DEFAULT_MIN_POOL_PREFIX_V6 = 64;

    public NetworkContext {
        nodeIPs = nodeIPs == null ? List.of() : List.copyOf(nodeIPs);
        serviceCIDRs = serviceCIDRs == null ? List.of() : List.copyOf(serviceCIDRs);
        protectedIPs = protectedIPs == null ? List.of() : List.copyOf(protectedIPs);
    }

    /** No knowledge of the network, default limits: the fixed rules (link-local, loopback...) still apply. */
    public static NetworkContext unknown() {
        return new NetworkContext(List.of(), List.of(), List.of(), DEFAULT_MIN_POOL_PREFIX_V4,
                DEFAULT_MIN_POOL_PREFIX_V6);
    }

    /** This context with the node IPs and service CIDRs of {@code info} added (null: unchanged). */
    public NetworkContext with(ClusterInfo info) {
        if (info == null) {
            return this;
        }
        List<String> nodes = new ArrayList<>(nodeIPs);
        nodes.addAll(info.nodeIPs());
        List<String> services = new ArrayList<>(serviceCIDRs);
        services.addAll(info.serviceCIDRs());
        return new NetworkContext(nodes, services, protectedIPs, minPoolPrefixV4, minPoolPrefixV6);
    }
}
