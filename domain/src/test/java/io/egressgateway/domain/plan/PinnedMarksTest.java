package io.egressgateway.domain.plan;

import static io.egressgateway.domain.plan.Fixtures.GW1;
import static io.egressgateway.domain.plan.Fixtures.GW2;
import static io.egressgateway.domain.plan.Fixtures.MARK_AA;
import static io.egressgateway.domain.plan.Fixtures.MARK_GW1;
import static io.egressgateway.domain.plan.Fixtures.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinnedMarksTest {
    private static final ForwardMethod AP = ForwardMethod.ACTIVE_PASSIVE;
    private static final long OWNED = 0xffff200fL;

    /** gw1 is no longer a Ready gateway node; the controller has moved the EIP and policy to gw2. */
    private static NodeSnapshot gw1Lost(NodeSnapshot s) {
        List<Gateway> gateways = s.gateways().stream().map(g -> {
            GatewayStatus st = g.status();
            List<GatewayNode> nodes = st.nodeList().stream().map(n -> n.name().equals(GW1)
                    ? new GatewayNode(GW1, NodeReadiness.NotReady, false, n.interfaces(), List.of())
                    : new GatewayNode(n.name(), NodeReadiness.Ready, true, n.interfaces(),
                            st.nodeList().stream().flatMap(x -> x.eips().stream()).toList())).toList();
            return new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                    new GatewayStatus(1, st.forwardMethod(), nodes, null, st.mark(), List.of()));
        }).toList();
        List<Policy> policies = s.policies().stream().map(p -> p.status().node() == null ? p
                : new Policy(p.name(), p.generation(), p.egressGatewayName(), p.appliedTo(), p.destCIDR(), p.egressIP(),
                        p.priority(), new PolicyStatus(1, p.status().eipV4(), p.status().eipV6(), GW2, List.of(GW2), 2,
                        List.of()))).toList();
        return new NodeSnapshot(s.nodeName(), s.facts(), s.egressNodes(), gateways, policies, s.endpointSlices(),
                s.clusterInfo(), s.settings(), s.observedSysctls());
    }

    /** The controller's heartbeat eviction: gw1's EgressNode leaves the peers as well. */
    private static NodeSnapshot gw1Evicted(NodeSnapshot s) {
        NodeSnapshot lost = gw1Lost(s);
        List<EgressNode> nodes = lost.egressNodes().stream().map(n -> !n.name().equals(GW1) ? n
                : new EgressNode(n.name(), n.generation(), EgressNodePhase.HeartbeatTimeout, n.tunnelIPv4(), n.tunnelIPv6(),
                        n.tunnelMac(), n.mark(), n.physicalInterface(), n.physicalInterfaceIPv4(), n.physicalInterfaceIPv6(),
                        n.interfaces(), n.programmed(), n.conditions())).toList();
        return new NodeSnapshot(s.nodeName(), s.facts(), nodes, lost.gateways(), lost.policies(), lost.endpointSlices(),
                lost.clusterInfo(), lost.settings(), lost.observedSysctls());
    }

    private static List<ConnectionPin> lost(NodeSnapshot before, NodeSnapshot after) {
        return PinnedMarks.lost(before.settings(), DatapathPlanner.plan(before), DatapathPlanner.plan(after));
    }

    private static boolean hasRule(Datapath d, long mark) {
        return d.ofType(RouteRule.class).stream().anyMatch(r -> r.mark() == mark);
    }

    @Test
    void aWorkerLosesThePinToAGatewayNodeThatIsNoLongerReady() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);

        assertThat(lost(up, gw1Lost(up))).containsExactly(new ConnectionPin(Family.IPV4, MARK_GW1, OWNED));
        assertThat(lost(up, gw1Lost(up)).get(0)).hasToString("v4 0x26010000/0xffff200f");
    }

    @Test
    void aGatewayNodeKeepsItsPeersRuleForTheReplyPathButStillLosesThePin() {
        NodeSnapshot up = Fixtures.seed(GW2, AP, false);
        NodeSnapshot gone = gw1Lost(up);
        Datapath after = DatapathPlanner.plan(gone);

        assertThat(hasRule(after, MARK_GW1)).as("gw2 keeps gw1's table: gw1 is still a peer").isTrue();
        assertThat(lost(up, gone)).containsExactly(new ConnectionPin(Family.IPV4, MARK_GW1, OWNED));
    }

    @Test
    void heartbeatEvictionLosesThePinOnEveryNode() {
        for (String node : List.of(WORKER, GW2)) {
            NodeSnapshot up = Fixtures.seed(node, AP, false);
            assertThat(lost(up, gw1Evicted(up))).as(node).containsExactly(new ConnectionPin(Family.IPV4, MARK_GW1, OWNED));
        }
    }

    @Test
    void bothFamiliesAreLostInDualStack() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, true);

        assertThat(lost(up, gw1Lost(up))).containsExactly(new ConnectionPin(Family.IPV4, MARK_GW1, OWNED),
                new ConnectionPin(Family.IPV6, MARK_GW1, OWNED));
    }

    @Test
    void nothingIsLostWhileEveryGatewayNodeStaysReady() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);
        List<Policy> moved = up.policies().stream().map(p -> new Policy(p.name(), 2, p.egressGatewayName(), p.appliedTo(),
                p.destCIDR(), p.egressIP(), p.priority(), new PolicyStatus(2, p.status().eipV4(), null, GW2, List.of(GW2), 2,
                List.of()))).toList();
        NodeSnapshot policyMoved = new NodeSnapshot(up.nodeName(), up.facts(), up.egressNodes(), up.gateways(), moved,
                up.endpointSlices(), up.clusterInfo(), up.settings(), up.observedSysctls());

        assertThat(lost(up, policyMoved)).as("a policy moved between Ready gateways keeps its pinned flows").isEmpty();
        assertThat(lost(up, up)).isEmpty();
    }

    @Test
    void activeActiveKeepsTheGatewayMarkWhileOneNodeIsLeft() {
        NodeSnapshot up = Fixtures.seed(WORKER, ForwardMethod.ACTIVE_ACTIVE, false);

        assertThat(lost(up, gw1Lost(up))).extracting(ConnectionPin::mark).containsExactly(MARK_GW1).doesNotContain(MARK_AA);
    }

    @Test
    void aGatewayThatComesBackIsPinnedAgain() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);
        ConnectionPin pin = new ConnectionPin(Family.IPV4, MARK_GW1, OWNED);

        assertThat(PinnedMarks.restores(up.settings(), DatapathPlanner.plan(up), pin)).isTrue();
        assertThat(PinnedMarks.restores(up.settings(), DatapathPlanner.plan(gw1Lost(up)), pin)).isFalse();
    }

    @Test
    void observedChainsAreRecognisedByTheirHashesNotTheirText() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);
        // iptables-save prints rules differently; observation keeps the hash from the comment
        Datapath observed = new Datapath(DatapathPlanner.plan(up).objects().stream().map(PinnedMarksTest::asObserved).toList());

        assertThat(PinnedMarks.lost(up.settings(), observed, DatapathPlanner.plan(gw1Lost(up))))
                .containsExactly(new ConnectionPin(Family.IPV4, MARK_GW1, OWNED));
    }

    @Test
    void aNodeWithoutOurChainsHasNothingToLose() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);

        assertThat(PinnedMarks.lost(up.settings(), Datapath.empty(), DatapathPlanner.plan(up))).isEmpty();
    }

    @Test
    void theMaskIsTheOwnedBitsOfTheConfiguredLayout() {
        PlannerSettings d = PlannerSettings.defaults();
        PlannerSettings wide = new PlannerSettings(d.v4Device(), d.v6Device(), d.vni(), d.port(), d.parentInterface(),
                d.markBase(), d.markMask(), 0x0000c0ffL, d.rulePriority(), false, true, false);
        NodeSnapshot s = Fixtures.seed(WORKER, AP, false);
        NodeSnapshot up = new NodeSnapshot(s.nodeName(), s.facts(), s.egressNodes(), s.gateways(), s.policies(),
                s.endpointSlices(), s.clusterInfo(), wide, s.observedSysctls());

        assertThat(lost(up, gw1Lost(up))).containsExactly(new ConnectionPin(Family.IPV4, MARK_GW1, 0xffff3f00L));
    }

    private static DatapathObject asObserved(DatapathObject o) {
        if (o instanceof IptablesChain c) {
            return new IptablesChain(c.family(), c.table(), c.chain(),
                    c.rules().stream().map(r -> new IptablesRule("-A " + c.chain() + " (as printed)", r.hash())).toList());
        }
        return o;
    }
}
