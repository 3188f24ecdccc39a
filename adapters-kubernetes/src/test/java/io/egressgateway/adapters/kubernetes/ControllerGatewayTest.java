package io.egressgateway.adapters.kubernetes;

import static io.egressgateway.adapters.kubernetes.ControllerHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gateway status, EIP placement and failover in active-passive, against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class ControllerGatewayTest {
    static final Map<String, String> GW = Map.of("egress", "true");
    static final List<String> POOL = List.of("192.0.2.200-192.0.2.210");
    KubernetesClient client;
    ControllerHarness h;

    @BeforeEach
    void setUp() {
        h = new ControllerHarness(client, TestSettings.defaults());
        h.cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        h.cluster.node("n2", true, GW, "192.0.2.12", "10.244.2.0/24");
        h.cluster.node("n3", true, GW, "192.0.2.13", "10.244.3.0/24");
        h.heartbeat("n1", "n2", "n3");
        h.cluster.gateway("gw", GW, POOL, "192.0.2.200");
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void defaultEipGoesToOneReadyNodeAndGatewayStatusSaysSo() {
        h.cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("shop", "EIP placed", p -> "192.0.2.200".equals(p.status().eipV4()) && p.status().node() != null);
        String node = h.policy("shop").status().node();
        assertThat(node).isIn("n2", "n3");
        h.awaitGateway("gw", "both nodes Ready, EIP on " + node, g -> g.status().nodeList().size() == 2
                && g.status().nodeList().stream().allMatch(n -> n.status() == NodeReadiness.Ready)
                && g.status().nodeList().stream().anyMatch(n -> n.name().equals(node) && n.active()
                && n.eips().size() == 1 && n.eips().get(0).policies().equals(List.of("shop"))));
        var st = h.gateway("gw").status();
        assertThat(st.nodeList()).extracting(GatewayNode::name).containsExactly("n2", "n3");
        assertThat(st.ipUsage().ipv4Total().intValue()).isEqualTo(11);
        assertThat(st.ipUsage().ipv4Free().intValue()).isEqualTo(10);
        var cr = client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGateway.class).withName("gw").get();
        assertThat(cr.getStatus().readyNodes).isEqualTo("2/2");
        assertThat(cr.getStatus().activeNodes).isEqualTo(node);
        assertThat(cr.getStatus().forwardMethod).isEqualTo("active-passive");
        assertThat(hasCondition(h.policy("shop"), "Ready", "True", null)).isTrue();
    }

    @Test
    void heartbeatTimeoutMovesTheEipToTheOtherReadyNodeAndRecordsWhy() {
        h.cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("shop", "EIP placed", p -> p.status().node() != null);
        String first = h.policy("shop").status().node();
        String other = first.equals("n2") ? "n3" : "n2";

        h.clock.advance(Duration.ofSeconds(3));
        h.heartbeat("n1", other);
        h.clock.advance(Duration.ofSeconds(3));
        h.heartbeat("n1", other);
        h.awaitPolicy("shop", "EIP moved to " + other, p -> other.equals(p.status().node())
                && "192.0.2.200".equals(p.status().eipV4()));
        h.awaitGateway("gw", first + " NotReady", g -> g.status().nodeList().stream()
                .anyMatch(n -> n.name().equals(first) && n.status() == NodeReadiness.NotReady && !n.active()));
        Await.until("EIPMoved event naming the heartbeat", () -> h.events("EIPMoved").stream()
                .anyMatch(e -> e.getMessage().contains("from " + first + " to " + other)
                        && e.getMessage().contains("heartbeat expired")));
        assertThat(h.events("NodeNotReady")).isNotEmpty();
    }

    @Test
    void nodeNotReadyMovesTheEip() {
        h.cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("shop", "EIP placed", p -> p.status().node() != null);
        String first = h.policy("shop").status().node();
        String other = first.equals("n2") ? "n3" : "n2";
        h.cluster.setNodeReady(first, false);
        h.awaitPolicy("shop", "EIP moved to " + other, p -> other.equals(p.status().node()));
        Await.until("event naming the Node condition", () -> h.events("EIPMoved").stream()
                .anyMatch(e -> e.getMessage().contains("Ready condition is not True")));
    }

    @Test
    void selectorChangeAddsAndRemovesNodes() {
        h.cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("shop", "EIP placed", p -> p.status().node() != null);
        String first = h.policy("shop").status().node();
        h.cluster.setNodeLabels("n1", GW);
        h.awaitGateway("gw", "n1 joined", g -> g.status().nodeList().stream().map(GatewayNode::name).toList()
                .equals(List.of("n1", "n2", "n3")));
        assertThat(h.policy("shop").status().node()).as("sticky: joining nodes take nothing away").isEqualTo(first);
        h.cluster.setNodeLabels(first, Map.of());
        h.awaitPolicy("shop", "EIP left " + first, p -> p.status().node() != null && !first.equals(p.status().node()));
        h.awaitGateway("gw", first + " left the list", g -> g.status().nodeList().stream()
                .noneMatch(n -> n.name().equals(first)));
    }

    @Test
    void rrPoliciesGetTheirOwnIpsSpreadOverNodesUntilThePoolIsExhausted() {
        client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGateway.class).withName("gw").delete();
        Await.until("gw gone", () -> h.gateway("gw") == null);
        h.cluster.gateway("small", GW, List.of("192.0.2.200-192.0.2.202"), "192.0.2.200");
        h.cluster.policy("a", "small", Map.of("app", "a"), EgressIpMode.EgressIP, null, AllocatorPolicy.RR);
        h.cluster.policy("b", "small", Map.of("app", "b"), EgressIpMode.EgressIP, null, AllocatorPolicy.RR);
        h.cluster.policy("c", "small", Map.of("app", "c"), EgressIpMode.EgressIP, null, AllocatorPolicy.RR);
        h.cluster.policy("d", "small", Map.of("app", "d"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("a", "placed", p -> p.status().node() != null);
        h.awaitPolicy("b", "placed", p -> p.status().node() != null);
        h.awaitPolicy("d", "placed", p -> p.status().node() != null);
        h.awaitPolicy("c", "PoolExhausted", p -> hasCondition(p, "PoolExhausted", "True", null));
        var a = h.policy("a").status();
        var b = h.policy("b").status();
        assertThat(List.of(a.eipV4(), b.eipV4())).containsExactlyInAnyOrder("192.0.2.201", "192.0.2.202");
        assertThat(h.policy("d").status().eipV4()).isEqualTo("192.0.2.200");
        assertThat(a.node()).as("rr spreads over nodes").isNotEqualTo(b.node());
        assertThat(hasCondition(h.policy("c"), "Ready", "False", null)).isTrue();
        assertThat(h.policy("c").status().eipV4()).isNull();
    }

    @Test
    void pinnedEipAndNodeIpMode() {
        h.cluster.policy("pin", "gw", Map.of("app", "p"), EgressIpMode.EgressIP, "192.0.2.205", AllocatorPolicy.DEFAULT);
        h.cluster.policy("nodeip", "gw", Map.of("app", "n"), EgressIpMode.NodeIP, null, AllocatorPolicy.DEFAULT);
        h.cluster.policy("none", "gw", Map.of("app", "x"), EgressIpMode.None, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("pin", "pinned EIP", p -> "192.0.2.205".equals(p.status().eipV4()) && p.status().node() != null);
        h.awaitPolicy("nodeip", "a node, no EIP", p -> p.status().node() != null && p.status().eipV4() == null);
        h.awaitPolicy("none", "a node, no EIP", p -> p.status().node() != null && p.status().eipV4() == null);
    }

    @Test
    void badInputGetsAConditionWithReasonAndDisturbsNothingElse() {
        h.cluster.policy("good", "gw", Map.of("app", "g"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.cluster.policy("missing", "nope", Map.of("app", "m"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.cluster.policy("outside", "gw", Map.of("app", "o"), EgressIpMode.EgressIP, "198.51.100.7",
                AllocatorPolicy.DEFAULT);
        h.cluster.gateway("empty", GW, List.of(), null);
        h.cluster.policy("nopool", "empty", Map.of("app", "e"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("missing", "GatewayNotFound", p -> hasCondition(p, "Ready", "False", "GatewayNotFound"));
        assertThat(h.policy("missing").status().conditions().stream().filter(c -> c.type().equals("Ready"))
                .findFirst().orElseThrow().message()).contains("'nope'");
        h.awaitPolicy("outside", "not Ready, reason given", p -> hasCondition(p, "Ready", "False", null)
                && p.status().eipV4() == null);
        var outsideReady = h.policy("outside").status().conditions().stream().filter(c -> c.type().equals("Ready"))
                .findFirst().orElseThrow();
        assertThat(outsideReady.message()).contains("198.51.100.7");
        h.awaitPolicy("nopool", "not Ready, reason given", p -> hasCondition(p, "Ready", "False", null));
        assertThat(h.policy("nopool").status().conditions().stream().filter(c -> c.type().equals("Ready"))
                .findFirst().orElseThrow().message()).isNotBlank();
        h.awaitPolicy("good", "placed", p -> "192.0.2.200".equals(p.status().eipV4()) && p.status().node() != null
                && hasCondition(p, "Ready", "True", null));
    }

    @Test
    void gatewayDeletionIsHeldWhilePoliciesUseIt() {
        h.cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        Await.until("finalizer on gw", () -> client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGateway.class)
                .withName("gw").get().getMetadata().getFinalizers()
                .contains(io.egressgateway.adapters.kubernetes.crd.Crds.GATEWAY_FINALIZER));
        client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGateway.class).withName("gw").delete();
        h.awaitPass();
        assertThat(h.gateway("gw")).as("held while shop uses it").isNotNull();
        client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy.class).withName("shop").delete();
        Await.until("gw deleted once unused", () -> h.gateway("gw") == null);
    }

    @Test
    void restartReshufflesNothing() {
        for (String p : List.of("a", "b", "c", "d")) {
            h.cluster.policy(p, "gw", Map.of("app", p), EgressIpMode.EgressIP, null, AllocatorPolicy.RR);
        }
        h.start();
        for (String p : List.of("a", "b", "c", "d")) {
            h.awaitPolicy(p, "placed", x -> x.status().node() != null && x.status().eipV4() != null);
        }
        h.awaitPass();
        Map<String, String> before = placements();
        String gwBefore = client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGateway.class).withName("gw")
                .get().getMetadata().getResourceVersion();
        h.stop();
        h.start();
        h.awaitPass();
        h.awaitPass();
        assertThat(placements()).isEqualTo(before);
        assertThat(client.resources(io.egressgateway.adapters.kubernetes.crd.EgressGateway.class).withName("gw").get()
                .getMetadata().getResourceVersion()).as("gateway status not rewritten").isEqualTo(gwBefore);
    }

    private Map<String, String> placements() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String p : List.of("a", "b", "c", "d")) {
            var s = h.policy(p).status();
            out.put(p, s.eipV4() + "@" + s.node());
        }
        return out;
    }
}
