package io.egressgateway.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void unnamedPolicyGetsTheClusterDefaultGatewayAndModeFromItsPool() {
        Policy p = PolicyValidatorTest.policy("", PolicyValidatorTest.BY_LABEL, List.of(), null);
        assertThat(Defaults.forPolicy(p, PolicyValidatorTest.GATEWAYS)).containsExactly(
                new Change("add", "/spec/egressGatewayName", "pooled", "no gateway named; pooled is the cluster default"),
                new Change("add", "/spec/egressIP", Map.of("mode", "EgressIP", "allocatorPolicy", "default"),
                        "mode not given; the gateway's pool is not empty"));
    }

    @Test
    void modeDefaultsToNodeIpWhenThePoolIsEmpty() {
        Policy p = PolicyValidatorTest.policy("bare", PolicyValidatorTest.BY_LABEL, List.of(),
                new EgressIpSpec(null, "", "", null));
        assertThat(Defaults.forPolicy(p, PolicyValidatorTest.GATEWAYS)).extracting(Change::path, Change::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/spec/egressIP/mode", "NodeIP"),
                        org.assertj.core.groups.Tuple.tuple("/spec/egressIP/allocatorPolicy", "default"));
    }

    @Test
    void cidrsWithHostBitsAreNormalisedAndSaySo() {
        Policy p = PolicyValidatorTest.policy("pooled", new AppliedTo(null, null, List.of("10.244.1.7/16")),
                List.of("10.6.1.0/24", "10.6.1.9/24"), new EgressIpSpec(EgressIpMode.NodeIP, "", "",
                        io.egressgateway.domain.model.AllocatorPolicy.DEFAULT));
        assertThat(Defaults.forPolicy(p, PolicyValidatorTest.GATEWAYS)).containsExactly(
                new Change("replace", "/spec/destCIDR/1", "10.6.1.0/24", "10.6.1.9/24 has host bits set; normalised to 10.6.1.0/24"),
                new Change("replace", "/spec/appliedTo/podSubnet/0", "10.244.0.0/16",
                        "10.244.1.7/16 has host bits set; normalised to 10.244.0.0/16"));
    }

    @Test
    void completePolicyNeedsNoChange() {
        Policy p = PolicyValidatorTest.policy("pooled", PolicyValidatorTest.BY_LABEL, List.of("10.0.0.0/8"),
                PolicyValidatorTest.EIP);
        assertThat(Defaults.forPolicy(p, PolicyValidatorTest.GATEWAYS)).isEmpty();
    }

    @Test
    void gatewayDefaultEipsAreTheFirstPoolAddresses() {
        Gateway g = GatewayValidatorTest.gw("g", List.of("10.6.1.60-10.6.1.65", "10.6.1.55"), List.of("fd00:6::10/124"),
                null, "", false);
        assertThat(Defaults.forGateway(g)).extracting(Change::path, Change::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/spec/ippools/ipv4DefaultEIP", "10.6.1.60"),
                org.assertj.core.groups.Tuple.tuple("/spec/ippools/ipv6DefaultEIP", "fd00:6::10"));
        Gateway set = GatewayValidatorTest.gw("g", List.of("10.6.1.60"), List.of(), "10.6.1.60", null, false);
        assertThat(Defaults.forGateway(set)).isEmpty();
    }
}
