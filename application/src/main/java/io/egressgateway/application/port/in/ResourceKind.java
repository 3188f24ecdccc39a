package io.egressgateway.application.port.in;

/** The kinds admission knows, by {@code request.kind.kind} of group egressgateway.spidernet.io. */
public enum ResourceKind {
    EGRESS_GATEWAY("EgressGateway"),
    EGRESS_GATEWAY_POLICY("EgressGatewayPolicy"),
    EGRESS_NODE("EgressNode"),
    EGRESS_ENDPOINT_SLICE("EgressEndpointSlice"),
    EGRESS_CLUSTER_INFO("EgressClusterInfo"),
    /** Anything else: admission allows it untouched (a webhook misconfiguration must not block the cluster). */
    OTHER("");

    private final String kind;

    ResourceKind(String kind) {
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    public static ResourceKind ofKind(String kind) {
        for (ResourceKind k : values()) {
            if (k != OTHER && k.kind.equals(kind)) {
                return k;
            }
        }
        return OTHER;
    }

    /** Kinds whose every write comes from the controller. */
    public boolean controllerOwned() {
        return this == EGRESS_NODE || this == EGRESS_ENDPOINT_SLICE || this == EGRESS_CLUSTER_INFO;
    }
}
