package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.NodeInterface;
import java.util.List;
import java.util.Map;

/**
 * The fields of its own EgressNode that only the agent knows: the tunnel's parent interface and its
 * addresses, the node's physical interfaces, whether the tunnel is built (TunnelReady, with a
 * reason and message when not), and the generation of each policy this node has programmed.
 */
public record AgentNodeReport(String physicalInterface, String physicalInterfaceIPv4, String physicalInterfaceIPv6,
                              List<NodeInterface> interfaces, boolean tunnelReady, String tunnelReason,
                              String tunnelMessage, Map<String, Long> programmed) {
    public AgentNodeReport {
        interfaces = List.copyOf(interfaces);
        programmed = Map.copyOf(programmed);
    }
}
