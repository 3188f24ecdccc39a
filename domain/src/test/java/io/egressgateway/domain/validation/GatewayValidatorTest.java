package io.egressgateway.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayValidatorTest {
    static final LabelSelector EGRESS = LabelSelector.of(Map.of("egress", "true"));

    static Gateway gw(String name, List<String> v4, List<String> v6, String d4, String d6, boolean clusterDefault) {
        return new Gateway(name, 1, EGRESS, new IpPools(v4, v6, d4, d6), clusterDefault, null);
    }

    static final Gateway OTHER = gw("other", List.of("10.6.2.0/24"), List.of("fd00:7::/120"), null, null, true);

    static Stream<Arguments> badGateways() {
        return Stream.of(
                Arguments.of(Named.of("nodeSelector missing", new Gateway("g", 1, null, IpPools.empty(), false, null)),
                        "spec.nodeSelector", "", "is required"),
                Arguments.of(Named.of("nodeSelector empty", new Gateway("g", 1, LabelSelector.of(Map.of()), IpPools.empty(),
                        false, null)), "spec.nodeSelector", "", "is required"),
                Arguments.of(Named.of("range ends before it starts", gw("g", List.of("10.6.1.1", "10.6.1.9-10.6.1.2"),
                        List.of(), null, null, false)), "spec.ippools.ipv4[1]", "10.6.1.9-10.6.1.2", "ends before it starts"),
                Arguments.of(Named.of("IPv6 entry in the IPv4 pool", gw("g", List.of("fd00::1"), List.of(), null, null,
                        false)), "spec.ippools.ipv4[0]", "fd00::1", "is IPv6, but this is the IPv4 pool"),
                Arguments.of(Named.of("default EIP outside its pool", gw("g", List.of("10.6.1.1-10.6.1.5"), List.of(),
                        "10.6.1.9", null, false)), "spec.ippools.ipv4DefaultEIP", "10.6.1.9",
                        "10.6.1.9 is not in the IPv4 pool 10.6.1.1-10.6.1.5"),
                Arguments.of(Named.of("default EIP of the wrong family", gw("g", List.of(), List.of("fd00::1"), null,
                        "10.0.0.1", false)), "spec.ippools.ipv6DefaultEIP", "10.0.0.1", "expected IPv6"),
                Arguments.of(Named.of("pool overlaps another gateway's", gw("g", List.of("10.6.1.1", "10.6.2.250-10.6.3.1"),
                        List.of(), null, null, false)), "spec.ippools.ipv4[1]", "10.6.2.250-10.6.3.1",
                        "overlaps the pool of gateway other at 10.6.2.250-10.6.2.255"),
                Arguments.of(Named.of("second cluster default", gw("g", List.of(), List.of(), null, null, true)),
                        "spec.clusterDefault", "true", "gateway other is already the cluster default"),
                Arguments.of(Named.of("In without values", new Gateway("g", 1, new LabelSelector(Map.of(),
                        List.of(new LabelSelector.Requirement("egress", LabelSelector.Requirement.Operator.In, List.of()))),
                        IpPools.empty(), false, null)), "spec.nodeSelector.matchExpressions[0].values", "",
                        "must not be empty for operator In"));
    }

    @ParameterizedTest(name = "rejected: {0}")
    @MethodSource("badGateways")
    void rejected(Gateway g, String field, String value, String message) {
        assertThat(GatewayValidator.validate(g, Optional.empty(), List.of(OTHER), List.of()))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo(field);
                    assertThat(v.value()).isEqualTo(value);
                    assertThat(v.message()).contains(message);
                });
    }

    @Test
    void theSpecExampleIsAccepted() {
        Gateway g = gw("default", List.of("10.6.1.55", "10.6.1.60-10.6.1.65", "10.6.1.70/28"),
                List.of("fd00:6::10-fd00:6::20"), "10.6.1.55", "fd00:6::10", false);
        assertThat(GatewayValidator.validate(g, Optional.empty(), List.of(OTHER, g), List.of())).isEmpty();
    }

    @Test
    void everyViolationIsReportedNotJustTheFirst() {
        Gateway g = new Gateway("g", 1, null, new IpPools(List.of("x", "10.6.2.1", "1.2.3.4-1.2.3.1"), List.of("y"),
                "10.9.9.9", null), true, null);
        assertThat(GatewayValidator.validate(g, Optional.empty(), List.of(OTHER), List.of()))
                .extracting(Violation::field).containsExactly("spec.nodeSelector", "spec.ippools.ipv4[0]",
                        "spec.ippools.ipv4[2]", "spec.ippools.ipv4DefaultEIP", "spec.ippools.ipv4[1]",
                        "spec.ippools.ipv6[0]", "spec.clusterDefault");
    }

    @Test
    void anUpdateMayNotRemoveIpsInUse() {
        Gateway old = gw("g", List.of("10.6.1.1-10.6.1.10"), List.of(), "10.6.1.1", null, false);
        Gateway shrunk = gw("g", List.of("10.6.1.1-10.6.1.4"), List.of(), "10.6.1.1", null, false);
        Policy pinned = new Policy("pinned", 1, "g", new AppliedTo(EGRESS, null, null), List.of(),
                new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.7", "", null), 0, null);
        Policy rr = new Policy("rr", 1, "g", new AppliedTo(EGRESS, null, null), List.of(),
                new EgressIpSpec(EgressIpMode.EgressIP, "", "", null), 0,
                new PolicyStatus(1, "10.6.1.3", null, "n1", List.of("n1"), 0, List.of()));
        Policy elsewhere = new Policy("elsewhere", 1, "other", null, List.of(),
                new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.9", "", null), 0, null);
        assertThat(GatewayValidator.validate(shrunk, Optional.of(old), List.of(OTHER), List.of(pinned, rr, elsewhere)))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("spec.ippools.ipv4");
                    assertThat(v.value()).isEqualTo("10.6.1.7");
                    assertThat(v.message()).isEqualTo("10.6.1.7 is in use by policy pinned and cannot be removed from the pool");
                });
    }

    @Test
    void deletionWaitsForThePoliciesThatUseTheGateway() {
        Gateway g = gw("g", List.of(), List.of(), null, null, true);
        Policy named = new Policy("b", 1, "g", null, List.of(), null, 0, null);
        Policy unnamed = new Policy("a", 1, "", null, List.of(), null, 0, null);
        Policy other = new Policy("c", 1, "other", null, List.of(), null, 0, null);
        assertThat(GatewayValidator.referencedBy(g, List.of(named, other, unnamed))).containsExactly("a", "b");
    }

    @net.jqwik.api.Property
    void everyBadPoolEntryIsReportedAtItsIndex(@net.jqwik.api.ForAll("entries") List<String> entries) {
        Gateway g = gw("g", entries, List.of(), null, null, false);
        List<String> fields = GatewayValidator.validate(g, Optional.empty(), List.of(), List.of()).stream()
                .map(Violation::field).toList();
        for (int i = 0; i < entries.size(); i++) {
            boolean bad = !io.egressgateway.domain.net.IpPool.parseEntry(entries.get(i),
                    io.egressgateway.domain.net.Family.IPV4).isOk();
            assertThat(fields.contains("spec.ippools.ipv4[" + i + "]")).as("entry %d '%s'", i, entries.get(i)).isEqualTo(bad);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<String>> entries() {
        return net.jqwik.api.Arbitraries.of("10.6.1.1", "10.6.1.9-10.6.1.2", "fd00::1", "x", "10.6.1.0/24", "10.6.1.5/33",
                "10.6.1.3-10.6.1.4", "").list().ofMaxSize(8);
    }

    @Test
    void controllerOwnedKindsAreRefusedToUsers() {
        assertThat(ControllerOwned.validate("EgressNode", "alice", java.util.Set.of("system:serviceaccount:egw:controller")))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("written by the egressgateway controller"));
        assertThat(ControllerOwned.validate("EgressNode", "system:serviceaccount:egw:controller",
                java.util.Set.of("system:serviceaccount:egw:controller"))).isEmpty();
        assertThat(ControllerOwned.validate("EgressGateway", "alice", java.util.Set.of())).isEmpty();
    }
}
