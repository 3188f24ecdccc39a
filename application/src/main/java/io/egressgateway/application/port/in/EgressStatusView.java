package io.egressgateway.application.port.in;

import java.util.List;

/** {@code ctl status}: gateways, policies and nodes as their statuses (and the heartbeats) say. */
public record EgressStatusView(List<GatewayLine> gateways, List<PolicyLine> policies, List<NodeLine> nodes) {
    public EgressStatusView {
        gateways = List.copyOf(gateways);
        policies = List.copyOf(policies);
        nodes = List.copyOf(nodes);
    }

    /** A gateway: "ready/total" nodes, each node with its readiness and EIPs, and pool usage. */
    public record GatewayLine(String name, String forwardMethod, String readyNodes, List<GatewayNodeLine> nodes,
                              java.math.BigInteger ipv4Total, java.math.BigInteger ipv4Free, java.math.BigInteger ipv6Total,
                              java.math.BigInteger ipv6Free, String moveRequest,
                              String moveState) {
        public GatewayLine {
            nodes = List.copyOf(nodes);
        }
    }

    /** One node of a gateway. */
    public record GatewayNodeLine(String name, String status, boolean active, List<String> eips) {
        public GatewayNodeLine {
            eips = List.copyOf(eips);
        }
    }

    /** A policy: gateway, EIPs, carrying node, "N/M nodes" programmed, Ready. */
    public record PolicyLine(String name, int priority, String gateway, String eipV4, String eipV6, String node,
                             int endpoints, String programmed, String ready) {
    }

    /** A node: EgressNode phase, heartbeat age (null without a Lease), tunnel state. */
    public record NodeLine(String name, String phase, Long heartbeatAgeMillis, String tunnel, String tunnelIPv4,
                           String tunnelIPv6) {
    }
}
