package io.egressgateway.adapters.kubernetes.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.IpUsage;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappingTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void marksAreUnsignedHexBothWays() {
        assertThat(Values.mark(0x80000001L)).isEqualTo("0x80000001");
        assertThat(Values.mark(0x26000003L)).isEqualTo("0x26000003");
        assertThat(Values.mark("0xffffffff")).isEqualTo(0xffffffffL);
        // a hand-edited mark reads as "not allocated" (the controller allocates again), never as an exception
        assertThat(Values.mark("0xzz")).isNull();
        assertThat(Values.mark("0x1ffffffff")).isNull();
    }

    @Test
    void aSelectorWithAnUnknownOperatorOrNoKeyMapsWithoutThrowing() {
        var cr = CrMapping.gateway(new Gateway("gw", 0, LabelSelector.of(Map.of("egress", "true")), IpPools.empty(),
                false, null));
        cr.getSpec().nodeSelector.setMatchExpressions(List.of(
                new io.fabric8.kubernetes.api.model.LabelSelectorRequirement("zone", "in", List.of("a")),
                new io.fabric8.kubernetes.api.model.LabelSelectorRequirement(null, "Exists", null)));
        Gateway g = ResourceMapping.gateway(cr);
        var exprs = g.nodeSelector().matchExpressions();
        assertThat(exprs.get(0).operator()).isNull();
        assertThat(exprs.get(0).operatorText()).isEqualTo("in");
        assertThat(exprs.get(1).key()).isNull();
        assertThat(g.nodeSelector().matches(Map.of("egress", "true", "zone", "a"))).isFalse();
    }

    @Test
    void gatewayRoundTripsThroughTheCr() {
        var sel = new LabelSelector(Map.of("egress", "true"), List.of(new LabelSelector.Requirement("zone",
                LabelSelector.Requirement.Operator.In, List.of("a", "b"))));
        var status = new GatewayStatus(3, ForwardMethod.ACTIVE_ACTIVE, List.of(
                new GatewayNode("n2", NodeReadiness.Ready, true, List.of(new NodeInterface("eth0", List.of("192.0.2.12/24"),
                        List.of())), List.of(new EipAssignment("192.0.2.200", null, List.of("shop")))),
                new GatewayNode("n3", NodeReadiness.NotReady, false, List.of(), List.of())),
                new IpUsage(BigInteger.valueOf(11), BigInteger.TEN, BigInteger.ZERO, BigInteger.ZERO), 0x26010000L,
                List.of(new Condition("Ready", Condition.Status.True, "NodesReady", "1/2 nodes Ready", 3, T)));
        Gateway g = new Gateway("gw", 0, sel, new IpPools(List.of("192.0.2.200-192.0.2.210"), List.of(), "192.0.2.200",
                null), true, status);
        var cr = CrMapping.gateway(g);
        assertThat(cr.getStatus().readyNodes).isEqualTo("1/2");
        assertThat(cr.getStatus().activeNodes).isEqualTo("n2");
        assertThat(cr.getStatus().mark).isEqualTo("0x26010000");
        assertThat(ResourceMapping.gateway(cr)).isEqualTo(g);
    }

    @Test
    void policyRoundTripsThroughTheCr() {
        Policy p = new Policy("shop", 0, "gw", new AppliedTo(LabelSelector.of(Map.of("app", "shop")),
                LabelSelector.of(Map.of("team", "shop")), null), List.of("198.51.100.0/24"),
                new EgressIpSpec(EgressIpMode.EgressIP, "192.0.2.201", null, AllocatorPolicy.RR), 5,
                new PolicyStatus(2, "192.0.2.201", null, "n2", List.of("n2"), 12, List.of(
                        new Condition("Programmed", Condition.Status.False, "Programming", "2/3 nodes", 2, T))));
        assertThat(ResourceMapping.policy(CrMapping.policy(p))).isEqualTo(p);
    }

    @Test
    void hugeIpv6PoolsSaturateInsteadOfOverflowing() {
        var status = new GatewayStatus(1, ForwardMethod.ACTIVE_PASSIVE, List.of(), new IpUsage(BigInteger.ONE,
                BigInteger.ONE, BigInteger.TWO.pow(64), BigInteger.TWO.pow(64)), null, List.of());
        assertThat(CrMapping.gatewayStatus(status).ipUsage.ipv6Total).isEqualTo(Long.MAX_VALUE);
    }
}
