package io.egressgateway.domain.datapath;

import java.util.List;
import java.util.Optional;

/**
 * What the planner needs to know about the node's own kernel, read once per pass: its interfaces
 * and which device holds each family's default route (the tunnel's parent when none is configured).
 */
public record NodeFacts(List<InterfaceFacts> interfaces, String defaultRouteDeviceV4, String defaultRouteDeviceV6) {
    public NodeFacts {
        interfaces = List.copyOf(interfaces);
    }

    public Optional<InterfaceFacts> find(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
