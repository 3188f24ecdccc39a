package io.egressgateway.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyValidatorTest {
    static final LabelSelector APP = LabelSelector.of(Map.of("app", "shop"));
    static final Gateway POOLED = GatewayValidatorTest.gw("pooled", List.of("10.6.1.1-10.6.1.9"), List.of("fd00:6::/120"),
            null, null, true);
    static final Gateway BARE = GatewayValidatorTest.gw("bare", List.of(), List.of(), null, null, false);
    static final List<Gateway> GATEWAYS = List.of(POOLED, BARE);

    static Policy policy(String gateway, AppliedTo to, List<String> dest, EgressIpSpec eip) {
        return new Policy("shop", 1, gateway, to, dest, eip, 0, null);
    }

    static final AppliedTo BY_LABEL = new AppliedTo(APP, null, null);
    static final EgressIpSpec EIP = new EgressIpSpec(EgressIpMode.EgressIP, "", "", AllocatorPolicy.DEFAULT);

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of(Named.of("neither podSelector nor podSubnet", policy("pooled", new AppliedTo(null, null, null),
                        List.of(), EIP)), "spec.appliedTo", "", "needs exactly one of podSelector and podSubnet"),
                Arguments.of(Named.of("both podSelector and podSubnet", policy("pooled", new AppliedTo(APP, null,
                        List.of("10.244.0.0/16")), List.of(), EIP)), "spec.appliedTo", "podSelector,podSubnet", "exactly one"),
                Arguments.of(Named.of("namespaceSelector without podSelector", policy("pooled", new AppliedTo(null, APP,
                        List.of("10.244.0.0/16")), List.of(), EIP)), "spec.appliedTo.namespaceSelector", "", "only allowed"),
                Arguments.of(Named.of("destCIDR with host bits", policy("pooled", BY_LABEL, List.of("10.6.0.0/16",
                        "10.6.1.9/24"), EIP)), "spec.destCIDR[1]", "10.6.1.9/24", "host bits set; the network is 10.6.1.0/24"),
                Arguments.of(Named.of("podSubnet not a CIDR", policy("pooled", new AppliedTo(null, null,
                        List.of("10.244.0.0")), List.of(), EIP)), "spec.appliedTo.podSubnet[0]", "10.244.0.0", "no prefix length"),
                Arguments.of(Named.of("pinned IP with mode NodeIP", policy("pooled", BY_LABEL, List.of(),
                        new EgressIpSpec(EgressIpMode.NodeIP, "10.6.1.2", "", null))), "spec.egressIP.ipv4", "10.6.1.2",
                        "only allowed with mode EgressIP"),
                Arguments.of(Named.of("pinned IP outside the pool", policy("pooled", BY_LABEL, List.of(),
                        new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.99", "", null))), "spec.egressIP.ipv4", "10.6.1.99",
                        "10.6.1.99 is not in the IPv4 pool of gateway pooled (10.6.1.1-10.6.1.9)"),
                Arguments.of(Named.of("pinned IP of the wrong family", policy("pooled", BY_LABEL, List.of(),
                        new EgressIpSpec(EgressIpMode.EgressIP, "", "10.6.1.2", null))), "spec.egressIP.ipv6", "10.6.1.2",
                        "is an IPv4 address, expected IPv6"),
                Arguments.of(Named.of("gateway does not exist", policy("nope", BY_LABEL, List.of(), EIP)),
                        "spec.egressGatewayName", "nope", "gateway nope does not exist"),
                Arguments.of(Named.of("mode EgressIP with an empty pool", policy("bare", BY_LABEL, List.of(), EIP)),
                        "spec.egressIP.mode", "EgressIP", "needs an EIP pool, but gateway bare has none"));
    }

    @ParameterizedTest(name = "rejected: {0}")
    @MethodSource("badPolicies")
    void rejected(Policy p, String field, String value, String message) {
        assertThat(PolicyValidator.validate(p, Optional.empty(), GATEWAYS)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.value()).isEqualTo(value);
            assertThat(v.message()).contains(message);
        });
    }

    @Test
    void aValidPolicyPasses() {
        Policy p = policy("pooled", new AppliedTo(APP, APP, null), List.of("10.6.1.0/24", "fd00:1::/64"),
                new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.2", "fd00:6::5", AllocatorPolicy.RR));
        assertThat(PolicyValidator.validate(p, Optional.empty(), GATEWAYS)).isEmpty();
    }

    @Test
    void anUnnamedGatewayNeedsAClusterDefault() {
        Policy p = policy("", BY_LABEL, List.of(), null);
        assertThat(PolicyValidator.validate(p, Optional.empty(), GATEWAYS)).isEmpty();
        assertThat(PolicyValidator.validate(p, Optional.empty(), List.of(BARE))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("no gateway is the cluster default"));
    }

    @Test
    void gatewayModeAndPinnedIpsAreImmutable() {
        Policy old = policy("pooled", BY_LABEL, List.of(), new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.2", "", null));
        Policy changed = policy("bare", BY_LABEL, List.of(), new EgressIpSpec(EgressIpMode.NodeIP, "", "", null));
        assertThat(PolicyValidator.validate(changed, Optional.of(old), GATEWAYS)).extracting(Violation::field)
                .containsExactly("spec.egressGatewayName", "spec.egressIP.mode", "spec.egressIP.ipv4");
        Policy sameButDest = policy("pooled", BY_LABEL, List.of("10.0.0.0/8"),
                new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.2", "", AllocatorPolicy.RR));
        assertThat(PolicyValidator.validate(sameButDest, Optional.of(old), GATEWAYS)).isEmpty();
    }
}
