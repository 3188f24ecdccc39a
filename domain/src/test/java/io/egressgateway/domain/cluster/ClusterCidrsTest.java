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

    @Test
    void detectedNetworksCountWithTheirSourcesAndTheSettingAddsToThem() {
        DiscoveredNetworks found = new DiscoveredNetworks("networking.k8s.io/v1",
                List.of(new DiscoveredNetworks.Named("ServiceCIDR/kubernetes", List.of("10.96.0.0/16")),
                        new DiscoveredNetworks.Named("ServiceCIDR/extra", List.of("10.97.0.0/16"))),
                "crd.projectcalico.org/v1",
                List.of(new DiscoveredNetworks.Named("IPPool/default-ipv4-ippool", List.of("10.250.0.0/16"))));
        ClusterCidrs.Result r = ClusterCidrs.compute(new ClusterCidrs.Config(List.of(), List.of("10.96.0.0/12"), List.of(),
                List.of()), NODES, List.of(), found);
        ClusterInfo i = r.info();
        assertThat(i.complete()).isTrue();
        assertThat(r.missing()).isEmpty();
        assertThat(i.podCIDRs()).containsExactly("10.244.1.0/24", "10.244.2.0/24", "10.245.0.0/24", "10.250.0.0/16",
                "fd00:10:244:2::/64");
        assertThat(i.serviceCIDRs()).containsExactly("10.96.0.0/12");
        assertThat(i.sources()).containsExactly(
                new ClusterInfo.CidrSource("pod", "10.244.1.0/24", "Node/node1"),
                new ClusterInfo.CidrSource("pod", "10.244.2.0/24", "Node/node2"),
                new ClusterInfo.CidrSource("pod", "10.245.0.0/24", "Node/node3"),
                new ClusterInfo.CidrSource("pod", "10.250.0.0/16", "IPPool/default-ipv4-ippool"),
                new ClusterInfo.CidrSource("pod", "fd00:10:244:2::/64", "Node/node2"),
                new ClusterInfo.CidrSource("service", "10.96.0.0/12",
                        "ServiceCIDR/extra, ServiceCIDR/kubernetes, setting cluster.serviceCIDRs"));
    }

    @Test
    void incompleteUntilPodAndServiceNetworksAreKnownAndSaysWhy() {
        ClusterCidrs.Result none = ClusterCidrs.compute(new ClusterCidrs.Config(List.of(), List.of(), List.of(), List.of()),
                List.of(), List.of(), DiscoveredNetworks.NONE);
        assertThat(none.info().complete()).isFalse();
        assertThat(none.missing()).containsExactly(
                "no pod network: no Node has spec.podCIDRs, no Calico IPPool CRD is served and cluster.podCIDRs is empty",
                "no service network: the API server serves no ServiceCIDR objects (Kubernetes < 1.33) and "
                        + "cluster.serviceCIDRs is empty");
        // a service CIDR alone used to count as complete: pod traffic then went to the gateway
        ClusterCidrs.Result servicesOnly = ClusterCidrs.compute(new ClusterCidrs.Config(List.of(), List.of(), List.of(),
                List.of()), List.of(), List.of(), new DiscoveredNetworks("networking.k8s.io/v1",
                List.of(new DiscoveredNetworks.Named("ServiceCIDR/kubernetes", List.of("10.96.0.0/12"))), null, List.of()));
        assertThat(servicesOnly.info().complete()).isFalse();
        assertThat(servicesOnly.missing()).hasSize(1).first().asString().startsWith("no pod network");
        ClusterCidrs.Result podsOnly = ClusterCidrs.compute(new ClusterCidrs.Config(List.of(), List.of(), List.of(),
                List.of()), NODES, List.of(), new DiscoveredNetworks("networking.k8s.io/v1", List.of(), null, List.of()));
        assertThat(podsOnly.info().complete()).isFalse();
        assertThat(podsOnly.missing()).containsExactly(
                "no service network: no ServiceCIDR object exists and cluster.serviceCIDRs is empty");
    }

    @Test
    void manyNodesUnderOneSettingMakeOneBoundedSource() {
        List<ClusterNode> many = new java.util.ArrayList<>();
        for (int n = 0; n < 5000; n++) {
            many.add(new ClusterNode("n" + n, Map.of(), true, List.of("10." + (n / 256) + "." + (n % 256) + ".0/24"),
                    List.of()));
        }
        ClusterCidrs.Result r = ClusterCidrs.compute(new ClusterCidrs.Config(List.of("10.0.0.0/8"), List.of("10.96.0.0/12"),
                List.of(), List.of()), many, List.of());
        assertThat(r.info().podCIDRs()).containsExactly("10.0.0.0/8");
        assertThat(r.info().sources().get(0).from()).isEqualTo("Node/n0, Node/n1, Node/n10 and 4998 more");
    }
}
