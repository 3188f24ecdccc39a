package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Sysctl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeWideSysctlsTest {
    private static final PlannerSettings V4 = settings(true, false);
    private static final PlannerSettings DUAL = settings(true, true);

    private static PlannerSettings settings(boolean v4, boolean v6) {
        return new PlannerSettings("egress-vxlan-v4", "egress-vxlan-v6", 100, 7789, "auto", 0x26000000L, 0xff000000L,
                0x0000ffffL, 99, false, v4, v6);
    }

    @Test
    void prepareNodeTurnsForwardingOnAndTheHashToL4WhereItIsZero() {
        Map<String, String> observed = Map.of(NodeWideSysctls.IP_FORWARD, "0", NodeWideSysctls.HASH_POLICY_V4, "0");
        assertThat(NodeWideSysctls.forPrepareNode(V4, observed, true)).containsExactly(
                new Sysctl("net/ipv4/ip_forward", "1"), new Sysctl("net/ipv4/fib_multipath_hash_policy", "1"));
    }

    @Test
    void aHashPolicySomeoneElseChoseIsKeptAsItIs() {
        Map<String, String> observed = Map.of(NodeWideSysctls.IP_FORWARD, "1", NodeWideSysctls.HASH_POLICY_V4, "3",
                NodeWideSysctls.IPV6_FORWARDING, "0", NodeWideSysctls.HASH_POLICY_V6, "2");
        assertThat(NodeWideSysctls.forPrepareNode(DUAL, observed, true)).containsExactly(
                new Sysctl("net/ipv4/ip_forward", "1"), new Sysctl("net/ipv4/fib_multipath_hash_policy", "3"),
                new Sysctl("net/ipv6/conf/all/forwarding", "1"), new Sysctl("net/ipv6/fib_multipath_hash_policy", "2"));
    }

    @Test
    void withoutMultipathHashOnlyForwardingAndNothingTheKernelLacks() {
        Map<String, String> observed = Map.of(NodeWideSysctls.IP_FORWARD, "0", NodeWideSysctls.HASH_POLICY_V4, "0",
                NodeWideSysctls.IPV6_FORWARDING, "0");
        assertThat(NodeWideSysctls.forPrepareNode(DUAL, observed, false)).containsExactly(
                new Sysctl("net/ipv4/ip_forward", "1"), new Sysctl("net/ipv6/conf/all/forwarding", "1"));
        // the IPv6 hash policy is missing from this kernel: left out rather than failing the write
        assertThat(NodeWideSysctls.forPrepareNode(DUAL, observed, true))
                .noneMatch(s -> s.path().equals(NodeWideSysctls.HASH_POLICY_V6));
        assertThat(NodeWideSysctls.paths(V4)).containsExactly("net/ipv4/ip_forward", "net/ipv4/fib_multipath_hash_policy");
    }

    @Test
    void onlyWhereZeroTakesAnUnknownValueAsZero() {
        assertThat(NodeWideSysctls.onlyWhereZero(Map.of(), "p", "1")).isEqualTo(new Sysctl("p", "1"));
        assertThat(NodeWideSysctls.onlyWhereZero(Map.of("p", " 0 "), "p", "1")).isEqualTo(new Sysctl("p", "1"));
        assertThat(NodeWideSysctls.onlyWhereZero(Map.of("p", "2"), "p", "1")).isEqualTo(new Sysctl("p", "2"));
    }
}
