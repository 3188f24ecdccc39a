package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.validation.NetworkContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 13, the agent's pipeline: arbitrary schema-valid objects (the schema only pattern-checks
 * addresses, so any string can sit there) next to a healthy synthetic cluster. Planning never throws,
 * a skipped object changes nothing, and the healthy policies' sets are the same with or without it.
 */
class PoisonPropertiesTest {
    /** What a pattern-checked field may hold after a bypassed webhook or a hand edit. */
    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.of("10.0.0.0/33", "300.1.1.1/8", "10.6.1.0/24", "0.0.0.0/0", "::/0", "fe80::/10",
                        "169.254.169.254", "10.96.0.1/32", "192.0.2.11", "010.1.2.3", "1.2.3", "a-b", "10.0.0.9-10.0.0.1",
                        "::1", "fd00::/129", "", " ", "in", "In", "not-an-ip", "10.6.1.5", "2001:db8::1", "1.2.3.4/24",
                        "::ffff:1.2.3.4", "fe80::1%eth0", "10.6.0.0-10.6.255.255"),
                Arbitraries.strings().withChars("0123456789abcdef.:/-% ").ofMaxLength(24),
                Arbitraries.strings().ascii().ofMaxLength(12));
    }

    static Arbitrary<LabelSelector> selector() {
        Arbitrary<LabelSelector.Requirement> req = Combinators.combine(
                Arbitraries.of("app", "", "zone"), Arbitraries.of("In", "in", "NotIn", "Exists", "DoesNotExist", "Equals", ""),
                text().list().ofMaxSize(2)).as(LabelSelector.Requirement::parse);
        return Combinators.combine(Arbitraries.maps(Arbitraries.of("app", "egress"), Arbitraries.of("web", "true"))
                .ofMaxSize(2), req.list().ofMaxSize(2)).as(LabelSelector::new);
    }

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<AppliedTo> applied = Arbitraries.oneOf(selector().map(s -> new AppliedTo(s, null, null)),
                text().list().ofMaxSize(3).map(l -> new AppliedTo(null, null, l)));
        Arbitrary<EgressIpSpec> eip = Combinators.combine(Arbitraries.of(EgressIpMode.values()), text(), text())
                .as((m, a, b) -> new EgressIpSpec(m, a, b, null));
        Arbitrary<PolicyStatus> status = Combinators.combine(text(), text(), Arbitraries.of("gw1", "gw2", "zz", ""))
                .as((a, b, n) -> new PolicyStatus(1, a, b, n, List.of(n), 0, List.of()));
        return Combinators.combine(Arbitraries.of("default", "gw-0", "zz-missing", ""), applied, text().list().ofMaxSize(3),
                eip, status).as((gw, at, dest, e, st) -> new Policy("zz-poison-policy", 1, gw, at, dest, e, 5, st));
    }

    @Provide
    Arbitrary<Gateway> gateways() {
        Arbitrary<GatewayStatus> status = Combinators.combine(text(), text(), Arbitraries.of("gw1", "node-0", "zz"))
                .as((a, b, n) -> new GatewayStatus(1, null, List.of(new GatewayNode(n, NodeReadiness.Ready, true, List.of(),
                        List.of(new EipAssignment(a, b, List.of("zz-poison-policy"))))), null, null, List.of()));
        return Combinators.combine(selector(), text().list().ofMaxSize(3), text().list().ofMaxSize(2), text(), status)
                .as((sel, v4, v6, d, st) -> new Gateway("zz-poison-gw", 1, sel, new IpPools(v4, v6, d, null), false, st));
    }

    @Provide
    Arbitrary<EgressNode> nodes() {
        return Combinators.combine(text(), text(), text(), text(), Arbitraries.of("66:c5:d6:cc:29:99", "zz:zz", ""))
                .as((t4, t6, p4, p6, mac) -> new EgressNode("zz-poison-node", 1, EgressNodePhase.Succeeded, t4, t6, mac,
                        0x26990000L, "eth0", p4, p6, List.of(), Map.of(), List.of()));
    }

    @Provide
    Arbitrary<EndpointSlice> slices() {
        return Combinators.combine(text(), text(), Arbitraries.of("zz-poison-policy", "p0", "p1"))
                .as((a, b, pol) -> new EndpointSlice("zz-poison-slice", pol, List.of(new Endpoint("ns", "pod", null,
                        List.of(a), List.of(b)))));
    }

    private static NodeSnapshot healthy(long seed, int nodes) {
        return SyntheticCluster.generate(seed, nodes, 1 + Math.floorMod(seed, 3), 1 + Math.floorMod(seed, 6), 30);
    }

    private static NodeSnapshot plus(NodeSnapshot s, Policy p, Gateway g, EgressNode n, EndpointSlice sl) {
        List<Policy> policies = new ArrayList<>(s.policies());
        List<Gateway> gateways = new ArrayList<>(s.gateways());
        List<EgressNode> nodes = new ArrayList<>(s.egressNodes());
        List<EndpointSlice> slices = new ArrayList<>(s.endpointSlices());
        if (p != null) {
            policies.add(p);
        }
        if (g != null) {
            gateways.add(g);
        }
        if (n != null) {
            nodes.add(n);
        }
        if (sl != null && !sl.policy().startsWith("p")) {
            slices.add(sl);
        }
        return new NodeSnapshot(s.nodeName(), s.facts(), nodes, gateways, policies, slices, s.clusterInfo(), s.settings());
    }

    /** Each healthy policy's sets, by name: what "its result" is on this node. */
    private static List<IpSet> healthySets(Datapath d, NodeSnapshot healthy) {
        List<String> names = new ArrayList<>();
        for (Policy p : healthy.policies()) {
            String h = PolicyPlanner.hash(p.name());
            names.add("egress-src-v4-" + h);
            names.add("egress-dst-v4-" + h);
            names.add("egress-src-v6-" + h);
            names.add("egress-dst-v6-" + h);
        }
        return d.ofType(IpSet.class).stream().filter(s -> names.contains(s.name())).toList();
    }

    @Property(tries = 400)
    void noObjectMakesAnotherObjectsPlanFail(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
                                             @ForAll("policies") Policy p, @ForAll("gateways") Gateway g,
                                             @ForAll("nodes") EgressNode node, @ForAll("slices") EndpointSlice sl) {
        NodeSnapshot healthy = healthy(seed, n);
        DatapathPlanner.Planned clean = DatapathPlanner.plan(healthy, NetworkContext.unknown());
        assertThat(clean.skipped()).as("the synthetic cluster is healthy").isEmpty();

        DatapathPlanner.Planned poisoned = DatapathPlanner.plan(plus(healthy, p, g, node, sl), NetworkContext.unknown());

        assertThat(healthySets(poisoned.datapath(), healthy)).as("the healthy policies' sets")
                .containsExactlyInAnyOrderElementsOf(healthySets(clean.datapath(), healthy));
    }

    @Property(tries = 400)
    void aSkippedObjectChangesNothingAtAll(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
                                           @ForAll("policies") Policy p, @ForAll("gateways") Gateway g) {
        NodeSnapshot healthy = healthy(seed, n);
        DatapathPlanner.Planned poisoned = DatapathPlanner.plan(plus(healthy, p, g, null, null), NetworkContext.unknown());
        boolean policySkipped = poisoned.skipped().stream().anyMatch(s -> s.name().equals(p.name()));
        boolean gatewaySkipped = poisoned.skipped().stream().anyMatch(s -> s.name().equals(g.name()));
        if (policySkipped && gatewaySkipped) {
            assertThat(poisoned.datapath().render()).isEqualTo(DatapathPlanner.plan(healthy).render());
        }
    }
}
