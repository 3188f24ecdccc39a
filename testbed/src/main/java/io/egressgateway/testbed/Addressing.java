package io.egressgateway.testbed;

/**
 * The testbed's address plan, in one place: underlay 192.0.2.0/24 and 2001:db8:1::/64 (node i = .10+i,
 * external host .100), pod CIDRs 10.244.i.0/24 and fd00:10:244:i::/64 (pod k of a node = .10+k).
 * Only documentation ranges and private pod ranges: nothing is routed to the machine's networks.
 */
final class Addressing {
    /** The Service ranges of the control plane (kube-apiserver --service-cluster-ip-range) and of the product's settings. */
    static final String SERVICE_CIDR_V4 = "10.96.0.0/12";
    static final String SERVICE_CIDR_V6 = "fd00:10:96::/112";
    static final String CLUSTER_POD_CIDR_V4 = "10.244.0.0/16";
    static final String CLUSTER_POD_CIDR_V6 = "fd00:10:244::/56";
    static final String EXTERNAL_V4 = "192.0.2.100";
    static final String EXTERNAL_V6 = "2001:db8:1::100";
    /** A second destination on the external host, outside the underlay, for destCIDR tests. */
    static final String EXTERNAL_EXTRA_V4 = "198.51.100.100";
    static final String EXTERNAL_EXTRA_V6 = "2001:db8:2::100";
    /**
     * The control plane's address on the underlay, in container mode only: where the {@code kubernetes}
     * Service's endpoint is, as the API server of a real cluster is on an address the nodes can route to.
     */
    static final String CONTROL_PLANE_V4 = io.egressgateway.testbed.kube.ControlPlane.NODE_FACING_V4;
    static final String CONTROL_PLANE_V6 = "2001:db8:1::5";
    /** The node side of every pod veth: the pods' default gateway. */
    static final String POD_GATEWAY_V6 = "fe80::1";

    private Addressing() {
    }

    static String nodeV4(int node) {
        return "192.0.2." + (10 + node);
    }

    static String nodeV6(int node) {
        return "2001:db8:1::" + (10 + node);
    }

    static String podCidrV4(int node) {
        return "10.244." + node + ".0/24";
    }

    static String podCidrV6(int node) {
        return "fd00:10:244:" + Integer.toHexString(node) + "::/64";
    }

    static String podGatewayV4(int node) {
        return "10.244." + node + ".1";
    }

    static String podV4(int node, int k) {
        return "10.244." + node + "." + (10 + k);
    }

    static String podV6(int node, int k) {
        return "fd00:10:244:" + Integer.toHexString(node) + "::" + Integer.toHexString(10 + k);
    }
}
