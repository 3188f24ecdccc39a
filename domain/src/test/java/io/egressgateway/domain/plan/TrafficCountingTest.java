package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.TrafficCounter;
import io.egressgateway.domain.model.ForwardMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counting rules and their nfacct objects (docs/traffic-metrics.md), on the seed's example. */
class TrafficCountingTest {

    @Test
    void aWorkerCountsWhatItSteersPerPolicyAndNothingLeavesWithAnEip() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(Fixtures.WORKER, ForwardMethod.ACTIVE_PASSIVE, true));
        assertThat(d.ofType(TrafficCounter.class)).containsExactly(TrafficCounter.steered("shop"));
        for (IptablesChain c : count(d)) {
            assertThat(specs(c)).filteredOn(s -> s.contains("--nfacct-name")).singleElement().satisfies(s -> {
                assertThat(s).startsWith("-o egress-vxlan-v+ -m connmark --mark 0x26");
                assertThat(s).contains("--nfacct-name " + TrafficCounter.steered("shop").name());
            });
        }
    }

    @Test
    void theCarryingGatewayCountsEgressPerPolicyAndEipInTheCountChainAndTheFirstPacketInTheSnatRule() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(Fixtures.GW1, ForwardMethod.ACTIVE_PASSIVE, false));
        TrafficCounter egress = TrafficCounter.egress("shop", "198.51.100.10");
        assertThat(d.ofType(TrafficCounter.class)).containsExactly(egress);
        assertThat(specs(count(d).get(0))).filteredOn(s -> s.contains("--nfacct-name")).singleElement()
                .satisfies(s -> assertThat(s).startsWith("! -o egress-vxlan-v+ -m conntrack --ctdir ORIGINAL --ctrepldst 198.51.100.10 ")
                        .endsWith("--nfacct-name " + egress.name() + " -j RETURN"));
        IptablesChain snat = d.ofType(IptablesChain.class).stream().filter(c -> c.chain().equals("EGRESSGATEWAY-SNAT-EIP"))
                .findFirst().orElseThrow();
        assertThat(specs(snat)).filteredOn(s -> s.contains("SNAT --to-source 198.51.100.10"))
                .singleElement().satisfies(s -> assertThat(s).contains("-m nfacct --nfacct-name " + egress.name()));
    }

    @Test
    void withoutNfacctNothingIsCountedAndNoRuleNamesACounter() {
        NodeSnapshot s = Fixtures.seed(Fixtures.GW1, ForwardMethod.ACTIVE_ACTIVE, true);
        Datapath d = DatapathPlanner.plan(withSettings(s, s.settings().withTrafficCounters(false)));
        assertThat(d.ofType(TrafficCounter.class)).isEmpty();
        assertThat(d.render()).doesNotContain("nfacct").doesNotContain(TrafficCounting.COUNT);
    }

    @Test
    void countersAreCreatedBeforeTheRulesThatNameThemAndDeletedAfter() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(Fixtures.WORKER, ForwardMethod.ACTIVE_PASSIVE, false));
        List<Kind> creates = DatapathDiff.between(d, Datapath.empty()).stream().map(DatapathOp::kind).toList();
        assertThat(creates.indexOf(Kind.NFACCT)).isLessThan(creates.indexOf(Kind.IPTABLES_CHAIN));
        List<Kind> deletes = DatapathDiff.between(Datapath.empty(), d).stream().map(DatapathOp::kind).toList();
        assertThat(deletes.indexOf(Kind.NFACCT)).isGreaterThan(deletes.lastIndexOf(Kind.IPTABLES_CHAIN));
    }

    @Test
    void anObservedCounterIsTheSameObjectAsThePlannedOneWhateverItsLabels() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(Fixtures.WORKER, ForwardMethod.ACTIVE_PASSIVE, false));
        Datapath observed = new Datapath(d.objects().stream()
                .map(o -> o instanceof TrafficCounter c ? TrafficCounter.observed(c.name()) : o).toList());
        assertThat(DatapathDiff.between(d, observed)).isEmpty();
    }

    @Test
    void namesFitTheKernelAndDifferPerPolicyAndEip() {
        String longName = "p".repeat(253);
        assertThat(TrafficCounter.steered(longName).name()).hasSize(22);
        assertThat(TrafficCounter.egress("a", "192.0.2.1").name()).isNotEqualTo(TrafficCounter.egress("a", "192.0.2.2").name())
                .isNotEqualTo(TrafficCounter.egress("b", "192.0.2.1").name());
        assertThat(TrafficCounter.steered("a").isSteered()).isTrue();
        assertThat(TrafficCounter.egress("a", "192.0.2.1").isEgress()).isTrue();
    }

    private static List<IptablesChain> count(Datapath d) {
        List<IptablesChain> chains = d.ofType(IptablesChain.class).stream()
                .filter(c -> c.chain().equals(TrafficCounting.COUNT)).toList();
        assertThat(chains).isNotEmpty();
        return chains;
    }

    private static List<String> specs(IptablesChain c) {
        return c.rules().stream().map(IptablesRule::spec).toList();
    }

    private static NodeSnapshot withSettings(NodeSnapshot s, PlannerSettings settings) {
        return new NodeSnapshot(s.nodeName(), s.facts(), s.egressNodes(), s.gateways(), s.policies(), s.endpointSlices(),
                s.clusterInfo(), settings, s.observedSysctls());
    }
}
