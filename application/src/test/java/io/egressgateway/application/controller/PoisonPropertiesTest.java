package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 13, the controller's pipeline (snapshot -> vet -> allocate/elect -> statuses) over the
 * in-memory API server: arbitrary schema-valid objects, with any string where the schema only
 * pattern-checks, next to the healthy gateway and policy. No pass throws, and the healthy objects'
 * results (placement, EIP, endpoints, the gateway's nodes) are the same with and without them.
 */
class PoisonPropertiesTest {
    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.of("10.0.0.0/33", "300.1.1.1/8", "0.0.0.0/0", "::/0", "169.254.169.254", "192.0.2.11",
                        "192.0.2.200", "192.0.2.200-192.0.2.210", "10.96.0.0/12", "198.51.100.0/24", "198.51.100.7", "",
                        "not-an-ip", "in", "fd00::1", "10.0.0.9-10.0.0.1", "2001:db8::/64"),
                Arbitraries.strings().withChars("0123456789abcdef.:/- ").ofMaxLength(20),
                Arbitraries.strings().ascii().ofMaxLength(10));
    }

    static Arbitrary<LabelSelector> selector() {
        Arbitrary<LabelSelector.Requirement> req = Combinators.combine(Arbitraries.of("app", "egress", "", "zone"),
                Arbitraries.of("In", "in", "NotIn", "Exists", "DoesNotExist", "Equals", ""), text().list().ofMaxSize(2))
                .as(LabelSelector.Requirement::parse);
        return Combinators.combine(Arbitraries.maps(Arbitraries.of("app", "egress"), Arbitraries.of("shop", "true"))
                .ofMaxSize(2), req.list().ofMaxSize(2)).as(LabelSelector::new);
    }

    @Provide
    Arbitrary<List<Policy>> policies() {
        Arbitrary<AppliedTo> applied = Arbitraries.oneOf(selector().map(s -> new AppliedTo(s, null, null)),
                text().list().ofMaxSize(2).map(l -> new AppliedTo(null, null, l)),
                Combinators.combine(selector(), text().list().ofMaxSize(1)).as((s, l) -> new AppliedTo(s, s, l)));
        Arbitrary<EgressIpSpec> eip = Combinators.combine(Arbitraries.of(EgressIpMode.values()), text(), text())
                .as((m, a, b) -> new EgressIpSpec(m, a, b, null));
        Arbitrary<PolicyStatus> status = Combinators.combine(text(), Arbitraries.of("n1", "n2", "zz"))
                .as((a, n) -> new PolicyStatus(1, a, null, n, List.of(n), 0, List.of()));
        return Combinators.combine(Arbitraries.of("zz-gw", "missing", ""), applied, text().list().ofMaxSize(3), eip,
                status, Arbitraries.integers().between(0, 99))
                .as((gw, at, dest, e, st, i) -> new Policy("zz-policy-" + i, 1, gw, at, dest, e, 0, st))
                .list().ofMaxSize(3).uniqueElements(Policy::name);
    }

    @Provide
    Arbitrary<List<Gateway>> gateways() {
        return Combinators.combine(selector(), text().list().ofMaxSize(3), text().list().ofMaxSize(2), text(),
                Arbitraries.integers().between(0, 99))
                .as((sel, v4, v6, d, i) -> new Gateway("zz-gw" + (i == 0 ? "" : "-" + i), 1, sel,
                        new IpPools(v4, v6, d, null), false, null))
                .list().ofMaxSize(2).uniqueElements(Gateway::name);
    }

    @Provide
    Arbitrary<List<String>> underlays() {
        return text().list().ofSize(2);
    }

    /** The healthy results: shop's placement and counts, gw's node list; conditions' times aside. */
    private static List<Object> healthy(InMemoryCluster c) {
        PolicyStatus s = c.policies.get("shop").status();
        List<GatewayNode> nodes = c.gateways.get("gw").status().nodeList();
        return List.of(String.valueOf(s.node()), String.valueOf(s.eipV4()), s.endpoints(), nodes);
    }

    private static List<Object> run(List<Policy> poisonPolicies, List<Gateway> poisonGateways, List<String> underlays) {
        ControllerReconcilerTest f = new ControllerReconcilerTest();
        f.cluster();
        poisonPolicies.forEach(p -> f.c.policies.put(p.name(), p));
        poisonGateways.forEach(g -> f.c.gateways.put(g.name(), g));
        ControllerReconciler r = f.reconciler();
        for (int i = 0; i < 4; i++) {
            r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
            if (i == 1 && !underlays.isEmpty()) {
                EgressNode n = f.c.egressNodes.get("n2");
                f.c.egressNodes.put("n2", new EgressNode(n.name(), n.generation(), n.phase(), n.tunnelIPv4(),
                        n.tunnelIPv6(), n.tunnelMac(), n.mark(), "eth0", underlays.get(0), underlays.get(1),
                        n.interfaces(), Map.of(), n.conditions()));
            }
        }
        return healthy(f.c);
    }

    @Property(tries = 150)
    void noObjectMakesAnotherObjectsPassFail(@ForAll("policies") List<Policy> policies,
                                             @ForAll("gateways") List<Gateway> gateways,
                                             @ForAll("underlays") List<String> underlays) {
        assertThat(run(policies, gateways, underlays)).isEqualTo(run(List.of(), List.of(), List.of()));
    }
}
