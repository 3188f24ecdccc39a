package io.egressgateway.domain.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EipAllocatorTest {

    static Policy policy(String name, EgressIpMode mode, String v4, String v6, AllocatorPolicy how) {
        return new Policy(name, 1, "gw", new AppliedTo(LabelSelector.of(Map.of("app", name)), null, null),
                List.of("10.6.0.0/16"), new EgressIpSpec(mode, v4, v6, how), 0, null);
    }

    static final GatewayPools POOLS = GatewayPools.of(new IpPools(List.of("10.6.1.55", "10.6.1.60-10.6.1.62"),
            List.of("fd00:6::10-fd00:6::11"), null, null));

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    @Test
    void defaultPolicySharesTheGatewaysDefaultEip() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("a", EgressIpMode.EgressIP, "", "", AllocatorPolicy.DEFAULT),
                policy("b", null, null, null, null)), Map.of());
        assertThat(r.policies().values()).allSatisfy(e -> {
            assertThat(text(e.ipv4())).isEqualTo("10.6.1.55");
            assertThat(text(e.ipv6())).isEqualTo("fd00:6::10");
            assertThat(e.mode()).isEqualTo(EgressIpMode.EgressIP);
        });
        assertThat(r.usage()).isEqualTo(new IpUsage4(4, 3, 2, 1).usage());
    }

    @Test
    void rrGivesEachPolicyItsOwnIpAndNeverTheDefault() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("a", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR),
                policy("b", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR)), Map.of());
        assertThat(text(r.policies().get("a").ipv4())).isEqualTo("10.6.1.60");
        assertThat(text(r.policies().get("b").ipv4())).isEqualTo("10.6.1.61");
        assertThat(text(r.policies().get("a").ipv6())).isEqualTo("fd00:6::11");
        assertThat(r.policies().get("b").ipv6()).isNull();
        assertThat(r.policies().get("b").problems()).singleElement()
                .satisfies(p -> assertThat(p.type()).isEqualTo("PoolExhausted"));
    }

    @Test
    void rrKeepsItsPreviousIpAcrossARestart() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("a", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR),
                policy("b", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR)),
                Map.of("b", new EipAllocator.Claim("10.6.1.60", null)));
        assertThat(text(r.policies().get("b").ipv4())).isEqualTo("10.6.1.60");
        assertThat(text(r.policies().get("a").ipv4())).isEqualTo("10.6.1.61");
    }

    @Test
    void aPinnedIpTakesPrecedenceOverAnRrClaimOfIt() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("a", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR),
                policy("z", EgressIpMode.EgressIP, "10.6.1.60", "", AllocatorPolicy.DEFAULT)),
                Map.of("a", new EipAllocator.Claim("10.6.1.60", null)));
        assertThat(text(r.policies().get("z").ipv4())).isEqualTo("10.6.1.60");
        assertThat(text(r.policies().get("a").ipv4())).isEqualTo("10.6.1.61");
    }

    @Test
    void twoRrPoliciesClaimingOneIpTheSmallerNameKeepsIt() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("b", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR),
                policy("a", EgressIpMode.EgressIP, "", "", AllocatorPolicy.RR)),
                Map.of("a", new EipAllocator.Claim("10.6.1.61", null), "b", new EipAllocator.Claim("10.6.1.61", null)));
        assertThat(text(r.policies().get("a").ipv4())).isEqualTo("10.6.1.61");
        assertThat(text(r.policies().get("b").ipv4())).isEqualTo("10.6.1.60");
        assertThat(r.conflicts()).singleElement().satisfies(c -> assertThat(c.keeper()).isEqualTo("a"));
    }

    @Test
    void nodeIpAndNoneGetNoEipAndAnEmptyPoolDefaultsToNodeIp() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("a", EgressIpMode.NodeIP, null, null, null),
                policy("b", EgressIpMode.None, null, null, null)), Map.of());
        assertThat(r.policies().values()).noneMatch(EipAllocator.PolicyEip::hasEip);
        EipAllocator.Result empty = EipAllocator.allocate(GatewayPools.of(IpPools.empty()),
                List.of(policy("c", null, null, null, null)), Map.of());
        assertThat(empty.policies().get("c").mode()).isEqualTo(EgressIpMode.NodeIP);
        assertThat(empty.usage().ipv4Total()).isZero();
    }

    @Test
    void invalidPinsAreReportedAsInvalidSpec() {
        EipAllocator.Result r = EipAllocator.allocate(POOLS, List.of(
                policy("a", EgressIpMode.EgressIP, "10.9.9.9", "fd00:6::10", null),
                policy("b", EgressIpMode.EgressIP, "fd00::1", null, null)), Map.of());
        assertThat(r.policies().get("a").problems()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("InvalidSpec");
            assertThat(p.message()).contains("spec.egressIP.ipv4").contains("10.9.9.9");
        });
        assertThat(text(r.policies().get("a").ipv6())).isEqualTo("fd00:6::10");
        assertThat(r.policies().get("b").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("expected IPv4"));
        EipAllocator.Result empty = EipAllocator.allocate(GatewayPools.of(IpPools.empty()),
                List.of(policy("c", EgressIpMode.EgressIP, null, null, null)), Map.of());
        assertThat(empty.policies().get("c").problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("EmptyPool"));
    }

    @Test
    void configuredDefaultEipIsUsedWhenInsideThePool() {
        GatewayPools pools = GatewayPools.of(new IpPools(List.of("10.6.1.60-10.6.1.62"), List.of(), "10.6.1.62", null));
        assertThat(text(pools.defaultV4().orElseThrow())).isEqualTo("10.6.1.62");
        GatewayPools outside = GatewayPools.of(new IpPools(List.of("10.6.1.60-10.6.1.62"), List.of(), "10.6.1.99", null));
        assertThat(text(outside.defaultV4().orElseThrow())).isEqualTo("10.6.1.60");
    }

    record IpUsage4(long v4Total, long v4Free, long v6Total, long v6Free) {
        io.egressgateway.domain.model.IpUsage usage() {
            return new io.egressgateway.domain.model.IpUsage(BigInteger.valueOf(v4Total), BigInteger.valueOf(v4Free),
                    BigInteger.valueOf(v6Total), BigInteger.valueOf(v6Free));
        }
    }
}
