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

    // Schema bounds (maxItems / maxLength). They keep every CEL rule inside the API server's cost
    // budget and refuse absurd objects before any code reads them; docs/api-limits.md says why each.
    /** Object names: DNS subdomains. */
    public static final int NAME_LENGTH = 253;
    /** Longest textual IP: IPv4-mapped IPv6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
    public static final int IP_LENGTH = 45;
    /** An IP and "/128". */
    public static final int CIDR_LENGTH = IP_LENGTH + 4;
    /** A pool entry: an IP, a CIDR, or two IPs joined by "-". */
    public static final int POOL_ENTRY_LENGTH = 2 * IP_LENGTH + 1;
    /** destCIDR and podSubnet entries. */
    public static final int MAX_CIDRS = 128;
    /** Pool entries per family. */
    public static final int MAX_POOL_ENTRIES = 128;
    public static final int MAX_SELECTOR_LABELS = 64;
    public static final int MAX_SELECTOR_EXPRESSIONS = 32;
    public static final int MAX_SELECTOR_VALUES = 128;
    /** A label key: a DNS-subdomain prefix (253), "/", a name (63). */
    public static final int LABEL_KEY_LENGTH = 317;
    public static final int LABEL_VALUE_LENGTH = 63;
    /** Linux IFNAMSIZ - 1. */
    public static final int INTERFACE_NAME_LENGTH = 15;
    /** Agent-reported interfaces per node, and addresses per family per interface. */
    public static final int MAX_INTERFACES = 64;
    public static final int MAX_INTERFACE_ADDRESSES = 256;

    private Crds() {
    }
}
