package io.egressgateway.adapters.kubernetes.crd;

/** Names shared by the CR classes, the mapping and the RBAC table. */
public final class Crds {
    public static final String GROUP = "egressgateway.spidernet.io";
    public static final String VERSION = "v1";
    /** Label on every EgressEndpointSlice: the policy it belongs to. */
    public static final String POLICY_LABEL = GROUP + "/policy";
    /** Finalizer the controller puts on EgressNodes so that allocations are released before they go. */
    public static final String NODE_FINALIZER = GROUP + "/egressnode";
    /** Finalizer the controller puts on EgressGateways: deletion waits until no policy uses the gateway. */
    public static final String GATEWAY_FINALIZER = GROUP + "/gateway-in-use";
    /** Marks are unsigned 32-bit values, always written as 0x%08x. */
    public static final String MARK_PATTERN = "^0x[0-9a-f]{8}$";

    private Crds() {
    }
}
