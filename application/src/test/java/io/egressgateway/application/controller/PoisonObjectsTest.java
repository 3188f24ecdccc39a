package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 13 in the controller: each bad object is skipped with a condition, and the healthy ones carry on. */
class PoisonObjectsTest {
    final ControllerReconcilerTest fixture = new ControllerReconcilerTest();
    final InMemoryCluster c = fixture.c;

    private void passes(ControllerReconciler r, int n) {
        for (int i = 0; i < n; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        }
    }

    private static Condition condition(List<Condition> conds, String type) {
        return conds.stream().filter(x -> x.type().equals(type)).findFirst().orElseThrow(
                () -> new AssertionError("no condition " + type + " in " + conds));
    }

    private void poison() {
        c.policies.put("bad-op", new Policy("bad-op", 1, "gw", new AppliedTo(new LabelSelector(Map.of(),
                List.of(LabelSelector.Requirement.parse("app", "in", List.of("shop")))), null, null), List.of(), null, 0, null));
        c.policies.put("bad-cidr", new Policy("bad-cidr", 1, "gw", new AppliedTo(LabelSelector.of(Map.of("app", "shop")),
                null, null), List.of("10.0.0.0/33"), null, 0, null));
        c.gateways.put("wide", new Gateway("wide", 1, LabelSelector.of(ControllerReconcilerTest.GW),
                new IpPools(List.of("0.0.0.0/0"), List.of(), null, null), false, null));
        c.policies.put("on-wide", new Policy("on-wide", 1, "wide", new AppliedTo(LabelSelector.of(Map.of("app", "shop")),
                null, null), List.of("198.51.100.0/24"), null, 0, null));
    }

    @Test
    void badObjectsAreSkippedWithAConditionNamingFieldValueAndExpectationWhileTheHealthyPolicyIsPlaced() {
        fixture.cluster();
        poison();
        var r = fixture.reconciler();
        passes(r, 4);
        EgressNode n3 = c.egressNodes.get("n3");
        c.egressNodes.put("n3", new EgressNode("n3", n3.generation(), n3.phase(), n3.tunnelIPv4(), n3.tunnelIPv6(),
                n3.tunnelMac(), n3.mark(), "eth0", "not-an-ip", null, n3.interfaces(), n3.programmed(), n3.conditions()));
        passes(r, 3);

        assertThat(c.policies.get("shop").status().node()).isIn("n2", "n3");
        assertThat(c.policies.get("shop").status().eipV4()).isEqualTo("192.0.2.200");

        Condition op = condition(c.policies.get("bad-op").status().conditions(), ControllerVetting.INVALID_SPEC);
        assertThat(op.message()).contains("spec.appliedTo.podSelector.matchExpressions[0].operator", "\"in\"",
                "In, NotIn, Exists, DoesNotExist");
        assertThat(condition(c.policies.get("bad-op").status().conditions(), PolicyConditions.READY).status())
                .isEqualTo(Condition.Status.False);
        assertThat(condition(c.policies.get("bad-cidr").status().conditions(), ControllerVetting.INVALID_SPEC).message())
                .contains("spec.destCIDR[0]", "10.0.0.0/33", "prefix length");
        assertThat(condition(c.gateways.get("wide").status().conditions(), ControllerVetting.INVALID_SPEC).message())
                .contains("spec.ippools.ipv4[0]", "0.0.0.0/0", "/16");
        assertThat(c.gateways.get("wide").status().nodeList()).as("an invalid gateway carries nothing").isEmpty();
        assertThat(condition(c.policies.get("on-wide").status().conditions(), PolicyConditions.READY).reason())
                .isEqualTo(ControllerVetting.GATEWAY_INVALID);
        assertThat(condition(c.egressNodes.get("n3").conditions(), ControllerVetting.INVALID_STATUS).message())
                .contains("status.physicalInterfaceIPv4", "not-an-ip");
        assertThat(c.clusterInfo.eipPools()).as("the invalid pool is not owned by any agent")
                .noneMatch(x -> x.startsWith("0.0.0.0"));

        long warnings = c.events.stream().filter(e -> e.contains(" InvalidSpec: ")).count();
        passes(r, 3);
        assertThat(c.events.stream().filter(e -> e.contains(" InvalidSpec: ")).count())
                .as("one Event per problem, not one per pass").isEqualTo(warnings).isEqualTo(3);
        assertThat(r.reconcile(Set.of(ReconcileControllerUseCase.ALL))).as("and nothing is rewritten").isZero();
    }

    @Test
    void fixingABadObjectNeedsNoRestart() {
        fixture.cluster();
        poison();
        var r = fixture.reconciler();
        passes(r, 4);
        Policy bad = c.policies.get("bad-cidr");
        c.policies.put("bad-cidr", new Policy(bad.name(), 2, bad.egressGatewayName(), bad.appliedTo(),
                List.of("198.51.100.0/24"), bad.egressIP(), 0, bad.status()));
        passes(r, 3);
        assertThat(condition(c.policies.get("bad-cidr").status().conditions(), ControllerVetting.INVALID_SPEC).status())
                .isEqualTo(Condition.Status.False);
        assertThat(c.policies.get("bad-cidr").status().node()).isIn("n2", "n3");
    }

    @Test
    void aRefusedWriteDelaysOnlyItsOwnObjectAndNeverFailsThePass() {
        long[] now = {0};
        fixture.nanos = () -> now[0]; // the delays run out only when the test says so, however slow the machine
        fixture.cluster();
        c.policies.put("other", new Policy("other", 1, "gw", c.policies.get("shop").appliedTo(), List.of(), null, 0, null));
        c.refusePolicyWrites.add("shop");
        var r = fixture.reconciler();
        passes(r, 3);
        assertThat(c.policies.get("other").status()).as("the other policy is written").isNotNull();
        assertThat(c.policies.get("shop").status()).isNull();
        assertThat(r.retryAfter()).as("the loop is told when the refused write is due again").isPresent();
        int attempts = c.policyWriteAttempts;
        r.reconcile(Set.of(ReconcileControllerUseCase.TICK));
        assertThat(c.policyWriteAttempts).as("not retried before its delay").isEqualTo(attempts);

        c.refusePolicyWrites.clear();
        for (int i = 0; i < 10 && c.policies.get("shop").status() == null; i++) {
            r.retryAfter().ifPresent(d -> now[0] += d.toNanos());
            r.reconcile(Set.of(ReconcileControllerUseCase.RETRY));
        }
        assertThat(c.policies.get("shop").status()).isNotNull();
    }

    @Test
    void overlappingPoolsNeverHandOneEipToTwoGateways() {
        fixture.cluster();
        c.gateways.put("gw2", new Gateway("gw2", 1, LabelSelector.of(ControllerReconcilerTest.GW),
                new IpPools(List.of("192.0.2.200-192.0.2.201"), List.of(), "192.0.2.200", null), false, null));
        c.policies.put("web", new Policy("web", 1, "gw2", c.policies.get("shop").appliedTo(), List.of(), null, 0, null));
        var r = fixture.reconciler();
        passes(r, 4);
        String shopEip = c.policies.get("shop").status().eipV4();
        String webEip = c.policies.get("web").status().eipV4();
        assertThat(shopEip).isEqualTo("192.0.2.200");
        assertThat(webEip).as("gw2 lost the shared addresses to gw (name order), so web has none").isNull();
        assertThat(condition(c.gateways.get("gw2").status().conditions(), ControllerVetting.POOL_OVERLAP).message())
                .contains("192.0.2.200-192.0.2.201", "gateway gw");
        assertThat(c.gateways.get("gw").status().conditions()).extracting(Condition::type)
                .doesNotContain(ControllerVetting.POOL_OVERLAP);
    }

    @Test
    void aPoolOfADisabledFamilyIsReportedOnTheGatewayAndNoEipOfItIsHandedOut() {
        fixture.cluster(); // the fixture's cluster is IPv4-only (enableIPv6=false)
        c.gateways.put("v6", new Gateway("v6", 1, LabelSelector.of(ControllerReconcilerTest.GW),
                new IpPools(List.of(), List.of("2001:db8:100::10-2001:db8:100::20"), null, "2001:db8:100::10"), false, null));
        c.policies.put("on-v6", new Policy("on-v6", 1, "v6", c.policies.get("shop").appliedTo(), List.of(), null, 0, null));
        var r = fixture.reconciler();
        passes(r, 4);
        assertThat(condition(c.gateways.get("v6").status().conditions(), ControllerVetting.POOL_FAMILY_DISABLED).message())
                .contains("spec.ippools.ipv6", "2001:db8:100::10-2001:db8:100::20", "enableIPv6=false");
        assertThat(c.policies.get("on-v6").status().eipV6()).as("never a status EIP that is not programmed").isNull();
        assertThat(c.gateways.get("gw").status().conditions()).extracting(Condition::type)
                .doesNotContain(ControllerVetting.POOL_FAMILY_DISABLED);
        assertThat(c.policies.get("shop").status().eipV4()).isEqualTo("192.0.2.200");
    }
}
