package io.egressgateway.domain.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunnelAllocatorTest {

    private static TunnelIpAllocator v4(String cidr) {
        return TunnelIpAllocator.parse(cidr).orElseThrow();
    }

    @Test
    void ipv4SkipsTheNetworkAddressAndRendersThePrefix() {
        Allocation<String> a = v4("172.31.0.0/16").allocate(List.of("b", "a"), Map.of());
        assertThat(a.assigned()).containsExactly(Map.entry("a", "172.31.0.1/16"), Map.entry("b", "172.31.0.2/16"));
        assertThat(a.clean()).isTrue();
    }

    @Test
    void ipv4SkipsTheBroadcastAddressAndReportsExhaustion() {
        Allocation<String> a = v4("192.0.2.0/30").allocate(List.of("a", "b", "c"), Map.of());
        assertThat(a.assigned()).containsExactly(Map.entry("a", "192.0.2.1/30"), Map.entry("b", "192.0.2.2/30"));
        assertThat(a.exhausted()).containsExactly("c");
        assertThat(v4("192.0.2.0/30").capacity()).isEqualTo(BigInteger.TWO);
    }

    @Test
    void ipv6SkipsOnlyTheSubnetRouterAnycastAddress() {
        TunnelIpAllocator v6 = TunnelIpAllocator.parse("fd11::/126").orElseThrow();
        Allocation<String> a = v6.allocate(List.of("a", "b", "c", "d"), Map.of());
        assertThat(a.assigned().values()).containsExactly("fd11::1/126", "fd11::2/126", "fd11::3/126");
        assertThat(a.exhausted()).containsExactly("d");
    }

    @Test
    void existingAddressesAreKeptAndNewNodesFillTheGaps() {
        Allocation<String> a = v4("172.31.0.0/16").allocate(List.of("a", "b", "c"),
                Map.of("b", "172.31.0.1/16", "c", "172.31.0.10/24"));
        assertThat(a.assigned()).containsExactly(Map.entry("a", "172.31.0.2/16"), Map.entry("b", "172.31.0.1/16"),
                Map.entry("c", "172.31.0.10/16"));
    }

    @ParameterizedTest(name = "existing claim {0} is replaced because {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.5/16|is outside the tunnel CIDR",
            "172.31.0.0/16|network or broadcast",
            "172.31.255.255/16|network or broadcast",
            "not-an-ip|is not an IPv4 address",
            "172.31.0.5/99|is not an address with a prefix length",
    })
    void invalidClaimsAreReplacedAndReported(String claim, String why) {
        Allocation<String> a = v4("172.31.0.0/16").allocate(List.of("n1"), Map.of("n1", claim));
        assertThat(a.assigned()).containsEntry("n1", "172.31.0.1/16");
        assertThat(a.invalid()).singleElement().satisfies(i -> assertThat(i.why()).contains(why));
    }

    @Test
    void twoNodesClaimingOneAddressTheSmallerNameKeepsIt() {
        Allocation<String> a = v4("172.31.0.0/16").allocate(List.of("n1", "n2", "n3"),
                Map.of("n2", "172.31.0.7/16", "n3", "172.31.0.7/16", "n1", "172.31.0.1/16"));
        assertThat(a.assigned()).containsEntry("n2", "172.31.0.7/16").containsEntry("n3", "172.31.0.2/16");
        assertThat(a.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.keeper()).isEqualTo("n2");
            assertThat(c.losers()).containsExactly("n3");
            assertThat(c.describe()).isEqualTo("172.31.0.7 was claimed by n2 and n3; n2 keeps it");
        });
    }

    @Test
    void claimsOfDeletedNodesAreFreed() {
        Allocation<String> a = v4("172.31.0.0/16").allocate(List.of("new"), Map.of("gone", "172.31.0.1/16"));
        assertThat(a.assigned()).containsExactly(Map.entry("new", "172.31.0.1/16"));
    }

    @Test
    void macIsLocallyAdministeredUnicastAndStableAcrossReleases() {
        String mac = TunnelMacAllocator.forNode("node1");
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        assertThat(first & 0x01).as("unicast").isZero();
        assertThat(first & 0x02).as("locally administered").isEqualTo(2);
        // pinned: changing the derivation would change every node's MAC on upgrade
        assertThat(mac).isEqualTo("ca:12:f3:1b:8c:bf");
        assertThat(TunnelMacAllocator.forNode("node2")).isNotEqualTo(mac);
    }

    @Test
    void macCollisionGivesTheLargerNameAnotherDerivation() {
        String taken = TunnelMacAllocator.forNode("b");
        Allocation<String> a = TunnelMacAllocator.allocate(List.of("a", "b"), Map.of("a", taken));
        assertThat(a.assigned()).containsEntry("a", taken).containsEntry("b", TunnelMacAllocator.derive("b", 1));
    }

    @Test
    void existingMacsAreKeptEvenWhenNotDerived() {
        Allocation<String> a = TunnelMacAllocator.allocate(List.of("a", "b"),
                Map.of("a", "02:00:00:00:00:01", "b", "01:00:5e:00:00:01"));
        assertThat(a.assigned()).containsEntry("a", "02:00:00:00:00:01").containsEntry("b", TunnelMacAllocator.forNode("b"));
        assertThat(a.invalid()).singleElement().satisfies(i -> assertThat(i.why()).contains("multicast"));
    }
}
