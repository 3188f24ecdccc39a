package io.egressgateway.application.ctl;

import io.egressgateway.application.port.in.PodExplanation;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.in.PodExplanation.Outcome;
import io.egressgateway.application.port.in.ExplainPodUseCase.Destination;
import io.egressgateway.domain.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodExplainerTest {
    private final CtlWorld w = new CtlWorld();

    private static Optional<Destination> to(String ip) {
        return Optional.of(new Destination(IpAddress.parse(ip).orElseThrow(), 443));
    }

    private PodExplanation explain(Optional<Destination> to) {
        return PodExplainer.explain(CtlWorld.SHOP, Map.of(), w.state(), to);
    }

    @Test
    void aSelectedProgrammedPodLeavesThroughItsGatewayNodeWithTheEip() {
        w.policy("shop", 0, "shopping", List.of("192.0.2.100/32"), "n2", 3);
        w.programmed("n1", "shop", 3);
        w.programmed("n2", "shop", 3);
        PodExplanation e = explain(to("192.0.2.100"));
        assertThat(e.outcome()).isEqualTo(Outcome.VIA_GATEWAY);
        assertThat(e.winner()).isEqualTo("shop");
        assertThat(e.route().eipV4()).isEqualTo("192.0.2.200");
        assertThat(e.route().gatewayNode()).isEqualTo("n2");
        assertThat(e.route().programmed()).extracting(PodExplanation.Programmed::node, PodExplanation.Programmed::current)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("n1", true), org.assertj.core.groups.Tuple.tuple("n2", true));
        assertThat(e.findings()).isEmpty();
        assertThat(e.destination()).isEqualTo("192.0.2.100:443");
        assertThat(e.summary()).isEqualTo("traffic to 192.0.2.100:443 leaves through gateway default on node n2 with source"
                + " 192.0.2.200 (policy shop)");
    }

    @Test
    void theHigherPriorityPolicyWinsWhereBothMatchAndTheOtherWhereOnlyItMatches() {
        w.policy("broad", 0, "shopping", List.of(), "n2", 1);
        w.policy("narrow", 10, "shopping", List.of("192.0.2.100/32"), "n2", 1);
        assertThat(explain(to("192.0.2.100")).winner()).isEqualTo("narrow");
        assertThat(explain(to("198.51.100.7")).winner()).isEqualTo("broad");
        assertThat(explain(Optional.empty()).policies()).extracting(PodExplanation.PolicyVerdict::name)
                .containsExactly("narrow", "broad");
    }

    @Test
    void anUnselectedPodNamesEachPolicysReason() {
        w.policy("web", 0, "web", List.of(), "n2", 1);
        PodExplanation e = explain(Optional.empty());
        assertThat(e.outcome()).isEqualTo(Outcome.NOT_SELECTED);
        assertThat(e.policies().get(0).selection()).contains("podSelector does not match the pod's labels {app=shopping}");
        assertThat(e.findings().get(0).fix()).contains("spec.appliedTo");
    }

    @Test
    void anExcludedDestinationNamesTheClusterListAndThePolicyToFix() {
        w.policy("all", 0, "shopping", List.of(), "n2", 1);
        PodExplanation e = explain(to("10.96.0.10"));
        assertThat(e.outcome()).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.problem()).contains("EgressClusterInfo serviceCIDRs 10.96.0.0/12");
            assertThat(f.fix()).isEqualTo("EgressGatewayPolicy/all spec.destCIDR");
        });
    }

    @Test
    void anOldGenerationOnTheGatewayNodeAndANotReadyNodeAreFindings() {
        w.policy("shop", 0, "shopping", List.of(), "n3", 4);
        w.n3 = io.egressgateway.domain.model.NodeReadiness.NotReady;
        w.programmed("n1", "shop", 4);
        w.programmed("n3", "shop", 3);
        PodExplanation e = explain(to("198.51.100.7"));
        assertThat(e.outcome()).isEqualTo(Outcome.NOT_READY);
        assertThat(e.findings()).extracting(PodExplanation.Finding::problem).containsExactly(
                "gateway node n3 is NotReady in gateway default",
                "the agent on gateway node n3 does not report policy shop programmed at generation 4 (reports 3)");
    }

    @Test
    void aPolicyNamingAMissingGatewayIsAFinding() {
        w.policies.add(new io.egressgateway.domain.model.Policy("lost", 1, "nosuch",
                new io.egressgateway.domain.model.AppliedTo(io.egressgateway.domain.model.LabelSelector.of(
                        Map.of("app", "shopping")), null, null), List.of(), null, 0, null));
        PodExplanation e = explain(to("198.51.100.7"));
        assertThat(e.winner()).isEqualTo("lost");
        assertThat(e.findings().get(0)).isEqualTo(new PodExplanation.Finding("gateway nosuch does not exist",
                "EgressGatewayPolicy/lost spec.egressGatewayName"));
    }
}
