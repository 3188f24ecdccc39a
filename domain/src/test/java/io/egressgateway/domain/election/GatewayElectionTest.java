package io.egressgateway.domain.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayElectionTest {

    private static Fixture rrWorld(int policies, String... nodes) {
        Fixture f = new Fixture(List.of("10.6.1.1-10.6.1.50"), List.of("fd00:6::1-fd00:6::50"), nodes);
        for (int i = 0; i < policies; i++) {
            f.policy("p" + i, EgressIpMode.EgressIP, AllocatorPolicy.RR);
        }
        return f;
    }

    @Test
    void aPolicysIpv4AndIpv6EipsLandOnOneNode() {
        ElectionResult r = rrWorld(3, "n1", "n2").elect();
        for (GatewayNode n : r.status().nodeList()) {
            n.eips().forEach(e -> {
                assertThat(e.ipv4()).isNotNull();
                assertThat(e.ipv6()).isNotNull();
            });
        }
        r.policies().values().forEach(d -> assertThat(d.nodes()).containsExactly(d.node()));
        assertThat(Fixture.eipsByNode(r).get("n1")).containsExactly("10.6.1.2|fd00:6::2", "10.6.1.4|fd00:6::4");
        assertThat(Fixture.eipsByNode(r).get("n2")).containsExactly("10.6.1.3|fd00:6::3");
    }

    @Test
    void policiesSharingTheDefaultEipShareItsNode() {
        Fixture f = new Fixture(List.of("10.6.1.1-10.6.1.9"), List.of(), "n1", "n2");
        f.policy("a", EgressIpMode.EgressIP, AllocatorPolicy.DEFAULT).policy("b", null, null);
        ElectionResult r = f.elect();
        assertThat(r.policies().get("a").node()).isEqualTo(r.policies().get("b").node()).isEqualTo("n1");
        GatewayNode n1 = r.status().nodeList().get(0);
        assertThat(n1.eips()).singleElement().satisfies(e -> {
            assertThat(e.ipv4()).isEqualTo("10.6.1.1");
            assertThat(e.policies()).containsExactly("a", "b");
        });
        assertThat(n1.active()).isTrue();
        assertThat(r.status().nodeList().get(1).active()).isFalse();
    }

    @Test
    void aPinnedIpv4AndTheSharedDefaultIpv6TieTwoPoliciesToOneNode() {
        Fixture f = new Fixture(List.of("10.6.1.1-10.6.1.9"), List.of("fd00:6::1-fd00:6::9"), "n1", "n2", "n3");
        f.policy("a", EgressIpMode.EgressIP, AllocatorPolicy.DEFAULT);
        f.policies.put("c", new io.egressgateway.domain.model.Policy("c", 1, "gw", null, List.of(),
                new io.egressgateway.domain.model.EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.7", "", null), 0, null));
        f.policy("z", EgressIpMode.EgressIP, AllocatorPolicy.RR);
        ElectionResult r = f.elect();
        assertThat(r.policies().get("c").eipV6()).isEqualTo("fd00:6::1");
        assertThat(r.policies().get("c").node()).isEqualTo(r.policies().get("a").node()).isEqualTo("n1");
        assertThat(r.policies().get("z").node()).isEqualTo("n2");
        assertThat(Fixture.eipsByNode(r).get("n1")).containsExactly("10.6.1.1|fd00:6::1", "10.6.1.7|fd00:6::1");
    }

    static Stream<Arguments> healthLosses() {
        return Stream.of(
                Arguments.of(Named.<Consumer<Fixture>>of("its Node is not Ready", f -> f.nodeReady.put("n1", false)),
                        NodeReadiness.NotReady),
                Arguments.of(Named.<Consumer<Fixture>>of("its Lease expired", f -> f.expired.add("n1")),
                        NodeReadiness.NotReady),
                Arguments.of(Named.<Consumer<Fixture>>of("its EgressNode is in HeartbeatTimeout",
                        f -> f.phase.put("n1", EgressNodePhase.HeartbeatTimeout)), NodeReadiness.NotReady),
                Arguments.of(Named.<Consumer<Fixture>>of("it lost the egress label", f -> {
                    f.nodeReady.remove("n1");
                    f.otherNodes.add("n1");
                }), null));
    }

    @ParameterizedTest(name = "EIP moves when its node fails because {0}")
    @MethodSource("healthLosses")
    void eipMovesWhenItsNodeFails(Consumer<Fixture> failure, NodeReadiness expected) {
        Fixture f = rrWorld(1, "n1", "n2");
        assertThat(f.elect().policies().get("p0").node()).isEqualTo("n1");
        failure.accept(f);
        ElectionResult r = f.elect();
        assertThat(r.policies().get("p0").node()).isEqualTo("n2");
        assertThat(r.policies().get("p0").eipV4()).isEqualTo("10.6.1.2");
        if (expected != null) {
            assertThat(r.status().nodeList().get(0).status()).isEqualTo(expected);
            assertThat(r.status().nodeList().get(0).eips()).isEmpty();
        } else {
            assertThat(r.status().nodeList()).extracting(GatewayNode::name).containsExactly("n2");
        }
    }

    @Test
    void eipsOfAFailedNodeAreSpreadOverTheRemainingReadyNodes() {
        Fixture f = rrWorld(8, "n1", "n2", "n3", "n4");
        Map<String, List<String>> before = Fixture.eipsByNode(f.elect());
        assertThat(before.get("n1")).hasSize(2);
        f.nodeReady.put("n1", false);
        Map<String, List<String>> after = Fixture.eipsByNode(f.elect());
        assertThat(after).doesNotContainKey("n1");
        assertThat(after.values()).allSatisfy(l -> assertThat(l).hasSizeBetween(2, 3));
        assertThat(after.values().stream().mapToInt(List::size).sum()).isEqualTo(8);
    }

    @Test
    void aHealthyNodeIsNeverDisplacedEvenWhenUnbalanced() {
        Fixture f = rrWorld(4, "n1");
        f.elect();
        f.nodeReady.put("n2", true);
        f.phase.put("n2", EgressNodePhase.Succeeded);
        ElectionResult r = f.elect();
        assertThat(r.policies().values()).allSatisfy(d -> assertThat(d.node()).isEqualTo("n1"));
        f.policy("p9", EgressIpMode.EgressIP, AllocatorPolicy.RR);
        assertThat(f.elect().policies().get("p9").node()).as("new EIPs go to the least loaded node").isEqualTo("n2");
    }

    @Test
    void withNoReadyNodeTheResultSaysSo() {
        Fixture f = rrWorld(1, "n1");
        f.nodeReady.put("n1", false);
        ElectionResult r = f.elect();
        PolicyDecision d = r.policies().get("p0");
        assertThat(d.node()).isNull();
        assertThat(d.placed()).isFalse();
        assertThat(d.eipV4()).as("the EIP is kept for when a node returns").isEqualTo("10.6.1.2");
        Condition c = d.condition(PolicyDecision.NO_GATEWAY_NODE).orElseThrow();
        assertThat(c.status()).isEqualTo(Condition.Status.True);
        assertThat(c.reason()).isEqualTo("NoReadyNode");
        assertThat(c.message()).isEqualTo("none of the 1 nodes of gateway gw is Ready");
        assertThat(r.status().conditions()).filteredOn(x -> x.type().equals("Ready")).singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(Condition.Status.False));
    }

    @Test
    void nodeIpPolicyStaysOnItsReadyNodeElseGoesToTheNodeWithFewestPolicies() {
        Fixture f = new Fixture(List.of(), List.of(), "n1", "n2", "n3");
        f.policy("a", EgressIpMode.NodeIP, null).policy("b", EgressIpMode.None, null).policy("c", null, null);
        ElectionResult r = f.elect();
        assertThat(Fixture.nodeOfPolicy(r)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "n1", "b", "n2", "c", "n3"));
        assertThat(r.policies().get("c").mode()).isEqualTo(EgressIpMode.NodeIP);
        f.policy("d", EgressIpMode.NodeIP, null);
        f.nodeReady.put("n2", false);
        r = f.elect();
        assertThat(Fixture.nodeOfPolicy(r)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "n1", "b", "n1", "c", "n3", "d", "n3"));
    }

    @Test
    void activeActiveSpreadsNodeIpOverAllReadyNodesAndKeepsEgressIpOnOne() {
        Fixture f = new Fixture(List.of("10.6.1.1-10.6.1.9"), List.of(), "n1", "n2", "n3");
        f.method = ForwardMethod.ACTIVE_ACTIVE;
        f.nodeReady.put("n3", false);
        f.policy("plain", EgressIpMode.NodeIP, null).policy("eip", EgressIpMode.EgressIP, AllocatorPolicy.DEFAULT);
        ElectionResult r = f.elect();
        assertThat(r.policies().get("plain").nodes()).containsExactly("n1", "n2");
        assertThat(r.policies().get("plain").node()).isNull();
        assertThat(r.policies().get("eip").nodes()).containsExactly("n1");
        assertThat(r.status().mark()).isEqualTo(0x26010000L);
        assertThat(r.status().nodeList()).extracting(GatewayNode::active).containsExactly(true, true, false);
    }

    @Test
    void statusListsSelectedNodesSortedWithReadinessAndInterfaces() {
        Fixture f = rrWorld(0, "zeta", "alpha", "mid");
        f.otherNodes.add("worker");
        f.phase.put("mid", EgressNodePhase.Failed);
        ElectionResult r = f.elect();
        assertThat(r.status().nodeList()).extracting(GatewayNode::name).containsExactly("alpha", "mid", "zeta");
        assertThat(r.status().nodeList()).extracting(GatewayNode::status)
                .containsExactly(NodeReadiness.Ready, NodeReadiness.NotReady, NodeReadiness.Ready);
        assertThat(r.status().nodeList().get(0).interfaces()).singleElement()
                .satisfies(i -> assertThat(i.name()).isEqualTo("eth0"));
        assertThat(r.status().ipUsage().ipv4Total()).hasToString("50");
        assertThat(r.status().mark()).as("no mark in active-passive").isNull();
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileUnchanged() {
        Fixture f = rrWorld(1, "n1");
        f.elect();
        f.now = Fixture.T0.plusSeconds(60);
        ElectionResult r = f.elect();
        assertThat(r.policies().get("p0").condition(PolicyDecision.NO_GATEWAY_NODE).orElseThrow().lastTransitionTime())
                .isEqualTo(Fixture.T0);
        f.nodeReady.put("n1", false);
        f.now = Fixture.T0.plusSeconds(120);
        r = f.elect();
        assertThat(r.policies().get("p0").condition(PolicyDecision.NO_GATEWAY_NODE).orElseThrow().lastTransitionTime())
                .isEqualTo(Fixture.T0.plusSeconds(120));
    }

    @Test
    void exhaustedPoolIsReportedOnPolicyAndGateway() {
        Fixture f = new Fixture(List.of("10.6.1.1-10.6.1.2"), List.of(), "n1");
        f.policy("a", EgressIpMode.EgressIP, AllocatorPolicy.RR).policy("b", EgressIpMode.EgressIP, AllocatorPolicy.RR);
        ElectionResult r = f.elect();
        assertThat(r.policies().get("a").eipV4()).isEqualTo("10.6.1.2");
        PolicyDecision b = r.policies().get("b");
        assertThat(b.placed()).isFalse();
        assertThat(b.condition(PolicyDecision.POOL_EXHAUSTED).orElseThrow().status()).isEqualTo(Condition.Status.True);
        assertThat(b.condition(PolicyDecision.NO_GATEWAY_NODE).orElseThrow().status()).isEqualTo(Condition.Status.False);
        assertThat(r.status().conditions()).filteredOn(c -> c.type().equals("PoolExhausted")).singleElement()
                .satisfies(c -> assertThat(c.message()).isEqualTo("no free EIP for policies b"));
        assertThat(r.status().ipUsage().ipv4Free()).isZero();
    }

    @Test
    void onlyPoliciesOfThisGatewayOrUnnamedOnesOfTheClusterDefaultCount() {
        Fixture f = rrWorld(1, "n1");
        f.policies.put("other", new io.egressgateway.domain.model.Policy("other", 1, "elsewhere", null, List.of(),
                null, 0, null));
        f.policies.put("unnamed", new io.egressgateway.domain.model.Policy("unnamed", 1, "", null, List.of(),
                null, 0, null));
        assertThat(f.elect().policies()).containsOnlyKeys("p0");
        f.gateway = new io.egressgateway.domain.model.Gateway("gw", 1, f.gateway.nodeSelector(), f.gateway.ippools(), true,
                null);
        assertThat(GatewayElection.elect(f.input()).policies()).containsOnlyKeys("p0", "unnamed");
    }

    @Test
    void aNodeWhoseAgentHasNotProvenAliveGetsNothingNewButKeepsWhatItCarries() {
        Fixture f = rrWorld(2, "n1", "n2");
        f.unproven.add("n1");
        ElectionResult first = f.elect();
        assertThat(Fixture.nodeOfPolicy(first)).as("only n2's agent has renewed").containsValues("n2").doesNotContainValue("n1");

        Fixture restarted = rrWorld(2, "n1", "n2");
        ElectionResult before = restarted.elect();
        restarted.unproven.addAll(List.of("n1", "n2"));
        assertThat(Fixture.nodeOfPolicy(restarted.elect())).as("a restarted controller moves nothing")
                .isEqualTo(Fixture.nodeOfPolicy(before));
    }

    @Test
    void withOnlyUnprovenNodesAPolicyWaitsAndSaysWhy() {
        Fixture f = rrWorld(1, "n1", "n2");
        f.unproven.addAll(List.of("n1", "n2"));
        ElectionResult r = f.elect();
        assertThat(r.policies().get("p0").node()).isNull();
        assertThat(r.policies().get("p0").condition(PolicyDecision.NO_GATEWAY_NODE)).hasValueSatisfying(c -> {
            assertThat(c.reason()).isEqualTo("AwaitingHeartbeat");
            assertThat(c.status()).isEqualTo(Condition.Status.True);
        });
    }
}
