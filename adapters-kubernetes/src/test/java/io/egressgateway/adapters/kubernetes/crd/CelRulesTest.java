package io.egressgateway.adapters.kubernetes.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cross-field rules of the committed CRDs, evaluated with the CEL library as the API server would. */
class CelRulesTest {
    static final CelRules POLICY = CelRules.load("egressgatewaypolicies.egressgateway.spidernet.io-v1.yml");
    static final CelRules GATEWAY = CelRules.load("egressgateways.egressgateway.spidernet.io-v1.yml");
    static final Map<String, Object> SELECTOR = Map.of("matchLabels", Map.of("app", "shop"));

    @ParameterizedTest
    @ValueSource(strings = {"egressgatewaypolicies", "egressgateways", "egressnodes", "egressendpointslices",
            "egressclusterinfos"})
    void everyRuleOfEveryCrdCompiles(String plural) {
        assertThat(CelRules.load(plural + ".egressgateway.spidernet.io-v1.yml").all())
                .allSatisfy(r -> assertThat(r.program()).isNotNull());
    }

    @Test
    void appliedToNeedsExactlyOneOfPodSelectorAndPodSubnet() {
        String msg = "appliedTo needs exactly one of podSelector and podSubnet";
        assertThat(POLICY.violations("spec.appliedTo", Map.of("podSelector", SELECTOR))).isEmpty();
        assertThat(POLICY.violations("spec.appliedTo", Map.of("podSubnet", List.of("10.244.0.0/16")))).isEmpty();
        assertThat(POLICY.violations("spec.appliedTo", Map.of())).containsExactly(msg);
        assertThat(POLICY.violations("spec.appliedTo",
                Map.of("podSelector", SELECTOR, "podSubnet", List.of("10.244.0.0/16")))).containsExactly(msg);
    }

    @Test
    void namespaceSelectorOnlyWithPodSelector() {
        assertThat(POLICY.violations("spec.appliedTo", Map.of("podSelector", SELECTOR, "namespaceSelector", SELECTOR)))
                .isEmpty();
        assertThat(POLICY.violations("spec.appliedTo",
                Map.of("podSubnet", List.of("10.244.0.0/16"), "namespaceSelector", SELECTOR)))
                .containsExactly("appliedTo.namespaceSelector is only allowed together with podSelector");
    }

    @Test
    void pinnedEipsOnlyWithModeEgressIp() {
        String msg = "egressIP.ipv4 and egressIP.ipv6 are only allowed with mode EgressIP";
        assertThat(POLICY.violations("spec.egressIP", Map.of("mode", "EgressIP", "ipv4", "10.6.1.55"))).isEmpty();
        assertThat(POLICY.violations("spec.egressIP", Map.of("ipv4", "10.6.1.55"))).as("mode defaulted later")
                .isEmpty();
        assertThat(POLICY.violations("spec.egressIP", Map.of("mode", "NodeIP"))).isEmpty();
        assertThat(POLICY.violations("spec.egressIP", Map.of("mode", "NodeIP", "ipv4", ""))).isEmpty();
        assertThat(POLICY.violations("spec.egressIP", Map.of("mode", "NodeIP", "ipv4", "10.6.1.55")))
                .containsExactly(msg);
        assertThat(POLICY.violations("spec.egressIP", Map.of("mode", "None", "ipv6", "fd00:6::10")))
                .containsExactly(msg);
    }

    @Test
    void eipFamiliesAreChecked() {
        assertThat(POLICY.violations("spec.egressIP.ipv4", "fd00::1"))
                .containsExactly("egressIP.ipv4 must be an IPv4 address");
        assertThat(POLICY.violations("spec.egressIP.ipv6", "10.0.0.1"))
                .containsExactly("egressIP.ipv6 must be an IPv6 address");
        assertThat(POLICY.violations("spec.egressIP.ipv4", "10.0.0.1")).isEmpty();
    }

    @Test
    void gatewayNameModeAndEipsAreImmutable() {
        assertThat(POLICY.violations("spec.egressGatewayName", "b", "a")).containsExactly("egressGatewayName is immutable");
        assertThat(POLICY.violations("spec.egressGatewayName", "a", "a")).isEmpty();
        assertThat(POLICY.violations("spec.egressIP.mode", "NodeIP", "EgressIP"))
                .containsExactly("egressIP.mode is immutable");
        assertThat(POLICY.violations("spec.egressIP.ipv4", "10.0.0.2", "10.0.0.1"))
                .containsExactly("egressIP.ipv4 is immutable");
    }

    @Test
    void cidrListsMustHoldCidrs() {
        assertThat(POLICY.violations("spec.destCIDR", List.of("10.6.1.0/24", "fd00::/64"))).isEmpty();
        assertThat(POLICY.violations("spec.destCIDR", List.of("10.6.1.0")))
                .containsExactly("every destCIDR entry is a CIDR such as 10.6.1.0/24");
        assertThat(POLICY.violations("spec.appliedTo.podSubnet", List.of()))
                .containsExactly("podSubnet must list at least one CIDR");
    }

    @Test
    void gatewayNodeSelectorMustNotBeEmpty() {
        String msg = "nodeSelector must not be empty: it would make every node a gateway";
        assertThat(GATEWAY.violations("spec.nodeSelector", SELECTOR)).isEmpty();
        assertThat(GATEWAY.violations("spec.nodeSelector", Map.of("matchExpressions",
                List.of(Map.of("key", "egress", "operator", "Exists"))))).isEmpty();
        assertThat(GATEWAY.violations("spec.nodeSelector", Map.of())).containsExactly(msg);
        assertThat(GATEWAY.violations("spec.nodeSelector", Map.of("matchLabels", Map.of()))).containsExactly(msg);
    }

    @Test
    void defaultEipNeedsAPoolOfItsFamilyAndEntriesHaveAShape() {
        assertThat(GATEWAY.violations("spec.ippools", Map.of("ipv4", List.of("10.6.1.55"), "ipv4DefaultEIP",
                "10.6.1.55"))).isEmpty();
        assertThat(GATEWAY.violations("spec.ippools", Map.of("ipv6", List.of("fd00::1"), "ipv4DefaultEIP",
                "10.6.1.55"))).containsExactly("ipv4DefaultEIP needs a non-empty ipv4 pool");
        assertThat(GATEWAY.violations("spec.ippools.ipv4", List.of("10.6.1.55", "10.6.1.60-10.6.1.65",
                "10.6.1.70/28"))).isEmpty();
        assertThat(GATEWAY.violations("spec.ippools.ipv4", List.of("fd00::1")))
                .containsExactly("every ipv4 entry is an IPv4 address, an a-b range or a CIDR");
        assertThat(GATEWAY.violations("spec.ippools.ipv6", List.of("fd00:6::10-fd00:6::20"))).isEmpty();
    }
}
