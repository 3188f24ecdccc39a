package io.egressgateway.domain.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCidrsTest {
    static final List<ClusterNode> NODES = List.of(
            new ClusterNode("node2", Map.of(), true, List.of("10.244.2.0/24", "fd00:10:244:2::/64"), List.of("192.0.2.12")),
            new ClusterNode("node1", Map.of(), true, List.of("10.244.1.0/24"), List.of("192.0.2.11", "2001:db8:1::11")),
            new ClusterNode("node3", Map.of(), true, List.of("10.245.0.0/24"), List.of("192.0.2.13")));
    static final List<Gateway> GATEWAYS = List.of(new Gateway("gw", 1, LabelSelector.of(Map.of("egress", "true")),
            new IpPools(List.of("192.0.2.200-192.0.2.210"), List.of(), null, null), false, null));

    @Test
    void collectsEverySourceCanonicalAndSorted() {
        ClusterCidrs.Result r = ClusterCidrs.compute(new ClusterCidrs.Config(List.of("10.244.0.0/16"),
                List.of("10.96.0.0/12"), List.of("198.51.100.0/24"), List.of("172.31.0.0/16", "fd11::/112")), NODES, GATEWAYS);
        ClusterInfo i = r.info();
        assertThat(i.podCIDRs()).containsExactly("10.244.0.0/16", "10.245.0.0/24", "fd00:10:244:2::/64");
        assertThat(i.serviceCIDRs()).containsExactly("10.96.0.0/12");
        assertThat(i.nodeIPs()).containsExactly("192.0.2.11", "192.0.2.12", "192.0.2.13", "2001:db8:1::11");
        assertThat(i.tunnelCIDRs()).containsExactly("172.31.0.0/16", "fd11::/112");
        assertThat(i.eipPools()).containsExactly("192.0.2.200/29", "192.0.2.208/31", "192.0.2.210/32");
        assertThat(i.always()).isEqualTo(ClusterInfo.ALWAYS);
        assertThat(i.extraCIDRs()).containsExactly("198.51.100.0/24");
        assertThat(i.complete()).isTrue();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void incompleteWithoutAServiceCidrAndBadEntriesAreNamed() {
        ClusterCidrs.Result r = ClusterCidrs.compute(new ClusterCidrs.Config(List.of("10.244.0.1/16", "bogus"), List.of(),
                List.of(), List.of()), List.of(), List.of());
        assertThat(r.info().complete()).isFalse();
        assertThat(r.info().podCIDRs()).containsExactly("10.244.0.0/16");
        assertThat(r.problems()).containsExactly(
                "cluster.podCIDRs[0]: 10.244.0.1/16 has host bits set; taken as 10.244.0.0/16",
                "cluster.podCIDRs[1]: 'bogus' has no prefix length, expected a CIDR like 10.6.1.0/24; skipped");
    }
}
