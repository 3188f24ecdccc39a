package io.egressgateway.domain.plan;

import static io.egressgateway.domain.plan.Fixtures.GW1;
import static io.egressgateway.domain.plan.Fixtures.GW2;
import static io.egressgateway.domain.plan.Fixtures.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decisions of every node at each step of a move of policy "shop" from gw1 to gw2, in the order
 * the controller writes them (docs/failover.md): the lost node's EgressNode, then the gateway's
 * status, then the policy's. At no step may the worker send the policy's pods the normal way while
 * gw2 is Ready: it steers them to a node that SNATs to the EIP, or holds them.
 */
class MoveSequenceTest {
    private static final String HOLD = "0x27000000";
    private static final String TO_GW1 = "0x26010000";
    private static final String TO_GW2 = "0x26020000";
    private static final String CLAIM = "0x26000000";

    /** How far the controller's writes of a move have reached the node that plans. */
    enum Step {
        BEFORE(false, false, false),
        EGRESS_NODE_TIMED_OUT(true, false, false),
        GATEWAY_MOVED_THE_EIP(true, true, false),
        POLICY_MOVED(true, true, true),
        /** An agent that saw the gateway and policy writes before the EgressNode's: watches are per kind. */
        POLICY_SEEN_BEFORE_EGRESS_NODE(false, true, true);

        final boolean nodeTimedOut;
        final boolean gatewayMoved;
        final boolean policyMoved;

        Step(boolean nodeTimedOut, boolean gatewayMoved, boolean policyMoved) {
            this.nodeTimedOut = nodeTimedOut;
            this.gatewayMoved = gatewayMoved;
            this.policyMoved = policyMoved;
        }
    }

    static NodeSnapshot at(Step step, String node, boolean failClosed) {
        NodeSnapshot s = Fixtures.seed(node, ForwardMethod.ACTIVE_PASSIVE, false);
        List<EgressNode> nodes = new ArrayList<>();
        for (EgressNode n : s.egressNodes()) {
            nodes.add(step.nodeTimedOut && n.name().equals(GW1) ? new EgressNode(n.name(), n.generation(),
                    EgressNodePhase.HeartbeatTimeout, n.tunnelIPv4(), n.tunnelIPv6(), n.tunnelMac(), n.mark(), n.physicalInterface(),
                    n.physicalInterfaceIPv4(), n.physicalInterfaceIPv6(), n.interfaces(), n.programmed(), n.conditions()) : n);
        }
        Gateway g = s.gateways().get(0);
        if (step.gatewayMoved) {
            EipAssignment eip = g.status().nodeList().get(0).eips().get(0);
            g = new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                    new GatewayStatus(2, ForwardMethod.ACTIVE_PASSIVE, List.of(
                            new GatewayNode(GW1, NodeReadiness.NotReady, false, List.of(), List.of()),
                            new GatewayNode(GW2, NodeReadiness.Ready, true, List.of(), List.of(eip))), null, null, List.of()));
        }
        List<Policy> policies = s.policies();
        if (step.policyMoved) {
            Policy p = policies.get(0);
            PolicyStatus st = p.status();
            policies = List.of(new Policy(p.name(), p.generation(), p.egressGatewayName(), p.appliedTo(), p.destCIDR(), p.egressIP(),
                    p.priority(), new PolicyStatus(st.observedGeneration(), st.eipV4(), st.eipV6(), GW2, List.of(GW2), st.endpoints(),
                    st.conditions())));
        }
        return new NodeSnapshot(node, s.facts(), nodes, List.of(g), policies, s.endpointSlices(), s.clusterInfo(),
                s.settings().withFailClosed(failClosed), s.observedSysctls());
    }

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of(Step.BEFORE, TO_GW1, false),
                Arguments.of(Step.EGRESS_NODE_TIMED_OUT, HOLD, false),
                Arguments.of(Step.GATEWAY_MOVED_THE_EIP, HOLD, true),
                Arguments.of(Step.POLICY_MOVED, TO_GW2, true),
                Arguments.of(Step.POLICY_SEEN_BEFORE_EGRESS_NODE, TO_GW2, true));
    }

    @ParameterizedTest(name = "{0}: the worker marks {1}, gw2 SNATs to the EIP: {2}")
    @MethodSource("steps")
    void eachStepOfAMoveSteersOrHoldsNeverTheNormalPath(Step step, String workerMark, boolean gw2Snats) {
        Datapath worker = DatapathPlanner.plan(at(step, WORKER, false));
        Datapath gw2 = DatapathPlanner.plan(at(step, GW2, false));

        assertThat(markTargets(worker)).containsExactly(workerMark);
        if (workerMark.equals(HOLD)) {
            assertThat(unreachable(worker)).as("the fail-closed table exists while a policy is held").isTrue();
        }
        assertThat(chain(gw2, IptablesPlanner.SNAT_EIP)).as("gw2 SNATs the policy")
                .matches(r -> r.stream().anyMatch(x -> x.contains("SNAT --to-source 198.51.100.10")) == gw2Snats);
        assertThat(gw2.ofType(EipAnnouncement.class).isEmpty()).as("gw2 answers for the EIP").isEqualTo(!gw2Snats);
    }

    @ParameterizedTest(name = "{0}: gw2 forwards from the tunnel only what it NATs")
    @MethodSource("steps")
    void aGatewayDropsNewTunnelConnectionsOfPoliciesItDoesNotCarryYet(Step step, String workerMark, boolean gw2Snats) {
        Datapath gw2 = DatapathPlanner.plan(at(step, GW2, false));

        assertThat(jumps(gw2, "FORWARD")).contains("-i egress-vxlan-v+ -m conntrack --ctstate NEW --ctdir ORIGINAL -j "
                + IptablesPlanner.CARRIED);
        List<String> carried = chain(gw2, IptablesPlanner.CARRIED);
        assertThat(carried).last().isEqualTo("-j DROP");
        assertThat(carried).hasSize(gw2Snats ? 2 : 1);
    }

    @Test
    void withNoReadyGatewayNodeLeftTheSettingDecidesNormalPathOrRefuse() {
        NodeSnapshot open = lastNodeLost(false);
        NodeSnapshot closed = lastNodeLost(true);

        assertThat(markTargets(DatapathPlanner.plan(open))).isEmpty();
        assertThat(unreachable(DatapathPlanner.plan(open))).isFalse();
        assertThat(markTargets(DatapathPlanner.plan(closed))).containsExactly(HOLD);
        assertThat(unreachable(DatapathPlanner.plan(closed))).isTrue();
    }

    /** gw1 carried the policy and gw2 was never Ready: nothing can carry it. */
    private static NodeSnapshot lastNodeLost(boolean failClosed) {
        NodeSnapshot s = at(Step.EGRESS_NODE_TIMED_OUT, WORKER, failClosed);
        Gateway g = s.gateways().get(0);
        g = new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                new GatewayStatus(2, ForwardMethod.ACTIVE_PASSIVE, List.of(
                        new GatewayNode(GW1, NodeReadiness.NotReady, false, List.of(), List.of()),
                        new GatewayNode(GW2, NodeReadiness.NotReady, false, List.of(), List.of())), null, null, List.of()));
        return new NodeSnapshot(WORKER, s.facts(), s.egressNodes(), List.of(g), s.policies(), s.endpointSlices(), s.clusterInfo(),
                s.settings(), s.observedSysctls());
    }

    private static List<String> markTargets(Datapath d) {
        return chain(d, IptablesPlanner.MARK_REQUEST).stream().filter(r -> r.contains("-j MARK --set-xmark"))
                .map(r -> r.substring(r.indexOf("--set-xmark ") + 12, r.indexOf('/', r.indexOf("--set-xmark ")))).toList();
    }

    private static boolean unreachable(Datapath d) {
        return d.ofType(Route.class).stream().anyMatch(r -> r.family() == Family.IPV4 && r.type() == Route.Type.UNREACHABLE);
    }

    private static List<String> chain(Datapath d, String name) {
        return d.ofType(IptablesChain.class).stream().filter(c -> c.family() == Family.IPV4 && c.chain().equals(name))
                .flatMap(c -> c.rules().stream()).map(IptablesRule::spec).toList();
    }

    private static List<String> jumps(Datapath d, String builtIn) {
        return d.ofType(IptablesJump.class).stream().filter(j -> j.family() == Family.IPV4 && j.chain().equals(builtIn))
                .map(j -> j.rule().spec()).toList();
    }
}
