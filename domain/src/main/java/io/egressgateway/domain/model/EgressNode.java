package io.egressgateway.domain.model;

import java.util.List;
import java.util.Map;

/**
 * One node's tunnel facts ({@code EgressNode}, same name as the Node). The controller writes the
 * allocation (tunnel IPs, MAC, mark, phase); the node's agent writes its parent interface, its
 * interfaces, the {@code TunnelReady} condition and {@code programmed}: the generation of each policy
 * it has applied. Addresses: tunnel IPs are CIDRs ("172.31.0.10/16"), parent IPs plain addresses.
 */
public record EgressNode(String name, long generation, EgressNodePhase phase, String tunnelIPv4, String tunnelIPv6,
                         String tunnelMac, Long mark, String physicalInterface, String physicalInterfaceIPv4,
                         String physicalInterfaceIPv6, List<NodeInterface> interfaces, Map<String, Long> programmed,
                         List<Condition> conditions) {
    public EgressNode {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        programmed = programmed == null ? Map.of() : Map.copyOf(programmed);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
