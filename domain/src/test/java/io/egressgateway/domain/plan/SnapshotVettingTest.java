package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.validation.NetworkContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The issue-13 objects: each one is left out on its own, and the healthy plan is unchanged. */
class SnapshotVettingTest {
    private static final NodeSnapshot HEALTHY = Fixtures.seed(Fixtures.WORKER, ForwardMethod.ACTIVE_PASSIVE, false);

    private static NodeSnapshot with(UnaryOperator<List<Policy>> policies, UnaryOperator<List<Gateway>> gateways,
                                     UnaryOperator<List<EgressNode>> nodes) {
        NodeSnapshot s = HEALTHY;
        return new NodeSnapshot(s.nodeName(), s.facts(), nodes.apply(new ArrayList<>(s.egressNodes())),
                gateways.apply(new ArrayList<>(s.gateways())), policies.apply(new ArrayList<>(s.policies())),
                s.endpointSlices(), s.clusterInfo(), s.settings());
    }

    private static <T> UnaryOperator<List<T>> plus(T t) {
        return l -> {
            l.add(t);
            return l;
        };
    }

    private static DatapathPlanner.Planned plan(NodeSnapshot s) {
        return DatapathPlanner.plan(s, NetworkContext.unknown());
    }

    @Test
    void aSelectorWithOperatorInIsSkippedAndNamed() {
        Policy bad = new Policy("bad-op", 1, "default", new AppliedTo(new LabelSelector(Map.of(),
                List.of(LabelSelector.Requirement.parse("app", "in", List.of("x")))), null, null),
                List.of("10.6.9.0/24"), null, 0, null);
        DatapathPlanner.Planned p = plan(with(plus(bad), UnaryOperator.identity(), UnaryOperator.identity()));
        assertThat(p.datapath().render()).isEqualTo(DatapathPlanner.plan(HEALTHY).render());
        assertThat(p.skipped()).singleElement().satisfies(s -> assertThat(s.describe())
                .contains("EgressGatewayPolicy bad-op", "operator", "\"in\""));
    }

    @Test
    void aDestinationThatIsNoNetworkIsSkipped() {
        for (String cidr : List.of("10.0.0.0/33", "300.1.1.1/8")) {
            Policy bad = new Policy("bad-cidr", 1, "default", Fixtures.shop(false).appliedTo(), List.of(cidr), null, 0,
                    Fixtures.shop(false).status());
            DatapathPlanner.Planned p = plan(with(plus(bad), UnaryOperator.identity(), UnaryOperator.identity()));
            assertThat(p.datapath().render()).isEqualTo(DatapathPlanner.plan(HEALTHY).render());
            assertThat(p.skipped()).singleElement().satisfies(s -> assertThat(s.describe())
                    .contains("spec.destCIDR[0]", cidr));
        }
    }

    @Test
    void aGatewayWithAWholeSpacePoolIsSkipped() {
        Gateway bad = new Gateway("zz-wide", 1, LabelSelector.of(Map.of("egress", "true")),
                new IpPools(List.of("0.0.0.0/0"), List.of(), null, null), false, null);
        DatapathPlanner.Planned p = plan(with(UnaryOperator.identity(), plus(bad), UnaryOperator.identity()));
        assertThat(p.datapath().render()).isEqualTo(DatapathPlanner.plan(HEALTHY).render());
        assertThat(p.skipped()).singleElement().satisfies(s -> assertThat(s.describe())
                .contains("EgressGateway zz-wide", "spec.ippools.ipv4[0]", "0.0.0.0/0"));
    }

    @Test
    void aPeerWithANonIpUnderlayLosesThatUnderlayOnly() {
        EgressNode gw2 = HEALTHY.egressNodes().stream().filter(n -> n.name().equals(Fixtures.GW2)).findFirst().orElseThrow();
        EgressNode broken = new EgressNode(gw2.name(), gw2.generation(), gw2.phase(), gw2.tunnelIPv4(), gw2.tunnelIPv6(),
                gw2.tunnelMac(), gw2.mark(), gw2.physicalInterface(), "not-an-ip", gw2.physicalInterfaceIPv6(),
                gw2.interfaces(), gw2.programmed(), gw2.conditions());
        NodeSnapshot s = with(UnaryOperator.identity(), UnaryOperator.identity(), l -> {
            l.replaceAll(n -> n.name().equals(Fixtures.GW2) ? broken : n);
            return l;
        });
        DatapathPlanner.Planned p = plan(s);
        assertThat(p.skipped()).singleElement().satisfies(x -> assertThat(x.describe())
                .contains("EgressNode gw2", "status.physicalInterfaceIPv4", "not-an-ip"));
        // the shop policy (carried by gw1) is planned exactly as before
        assertThat(p.datapath().render()).contains("egress-dst-v4-" + PolicyPlanner.hash("shop"));
        assertThat(p.datapath().render()).doesNotContain("not-an-ip");
    }
}
