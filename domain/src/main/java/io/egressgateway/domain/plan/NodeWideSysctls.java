package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node-wide sysctls of the datapath and who may set them. A node-wide value that someone else
 * already chose (non-zero {@code fib_multipath_hash_policy}) is theirs: it is planned as it is, so
 * nothing is written. In a container /proc/sys is read-only, so {@code egressgateway prepare-node}
 * (a privileged init container) sets these once, by the same rules, before the agent starts; the
 * agent then finds them right and writes nothing (docs/install.md, "Security context").
 */
public final class NodeWideSysctls {
    public static final String IP_FORWARD = "net/ipv4/ip_forward";
    public static final String IPV6_FORWARDING = "net/ipv6/conf/all/forwarding";
    public static final String HASH_POLICY_V4 = "net/ipv4/fib_multipath_hash_policy";
    public static final String HASH_POLICY_V6 = "net/ipv6/fib_multipath_hash_policy";
    /** L4 hash (addresses, ports, protocol): flows of one pod spread over active-active gateways. */
    static final String L4_HASH = "1";

    private NodeWideSysctls() {
    }

    /**
     * {@code value} where the observed value is 0 or unknown (not observed), else the observed value
     * as it is: a node-wide setting someone else chose is left alone.
     */
    public static Sysctl onlyWhereZero(Map<String, String> observed, String path, String value) {
        String now = observed.get(path);
        return new Sysctl(path, now == null || now.trim().equals("0") ? value : now.trim());
    }

    /** Every path {@link #forPrepareNode} may set: read them first, then plan. */
    public static List<String> paths(PlannerSettings s) {
        List<String> out = new ArrayList<>();
        if (s.enableIPv4()) {
            out.addAll(List.of(IP_FORWARD, HASH_POLICY_V4));
        }
        if (s.enableIPv6()) {
            out.addAll(List.of(IPV6_FORWARDING, HASH_POLICY_V6));
        }
        return out;
    }

    /**
     * What {@code prepare-node} sets, given what the node has now ({@code observed}: path to value;
     * a path absent from it does not exist in this kernel and is left out): forwarding of each enabled
     * family, and with {@code multipathHash} the L4 multipath hash only where it is 0, which
     * active-active gateways need (the agent plans it only once a gateway is active-active, but by
     * then it may not write it).
     */
    public static List<Sysctl> forPrepareNode(PlannerSettings s, Map<String, String> observed, boolean multipathHash) {
        List<Sysctl> out = new ArrayList<>();
        if (s.enableIPv4()) {
            out.add(new Sysctl(IP_FORWARD, "1"));
            if (multipathHash) {
                out.add(onlyWhereZero(observed, HASH_POLICY_V4, L4_HASH));
            }
        }
        if (s.enableIPv6()) {
            out.add(new Sysctl(IPV6_FORWARDING, "1"));
            if (multipathHash) {
                out.add(onlyWhereZero(observed, HASH_POLICY_V6, L4_HASH));
            }
        }
        return out.stream().filter(x -> observed.containsKey(x.path())).toList();
    }
}
