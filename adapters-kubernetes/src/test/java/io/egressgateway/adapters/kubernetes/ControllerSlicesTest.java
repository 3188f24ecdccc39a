package io.egressgateway.adapters.kubernetes;

import static io.egressgateway.adapters.kubernetes.ControllerHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.ForwardMethod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Endpoint slices following pod churn, the cluster info, Programmed, and active-active. */
@EnableKubernetesMockClient(crud = true)
class ControllerSlicesTest {
    static final Map<String, String> GW = Map.of("egress", "true");
    static final Map<String, String> SHOP = Map.of("app", "shop");
    KubernetesClient client;
    ControllerHarness h;

    @BeforeEach
    void setUp() {
        h = new ControllerHarness(client, TestSettings.with(ForwardMethod.ACTIVE_ACTIVE, 2));
        h.cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        h.cluster.node("n2", true, GW, "192.0.2.12", "10.244.2.0/24");
        h.cluster.node("n3", true, GW, "192.0.2.13", "10.244.3.0/24");
        h.heartbeat("n1", "n2", "n3");
        h.cluster.gateway("gw", GW, List.of("192.0.2.200-192.0.2.210"), "192.0.2.200");
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void slicesFollowPodChurnAndGoWithThePolicy() {
        h.cluster.policy("shop", "gw", SHOP, EgressIpMode.NodeIP, null, AllocatorPolicy.DEFAULT);
        h.cluster.pod("shop", "web-1", "n1", SHOP, "10.244.1.10");
        h.cluster.pod("shop", "web-2", "n1", SHOP, "10.244.1.11", "fd00:10:244:1::11");
        h.cluster.pod("shop", "web-3", "n2", SHOP, "10.244.2.10");
        h.cluster.pod("shop", "other", "n2", Map.of("app", "other"), "10.244.2.11");
        h.start();
        Await.until("3 endpoints in slices of at most 2", () -> endpoints().size() == 3
                && h.slices("shop").size() == 2, () -> endpoints().toString());
        h.awaitPolicy("shop", "endpoints 3", p -> p.status().endpoints() == 3);
        assertThat(endpoints()).containsExactlyInAnyOrder("shop/web-1@n1", "shop/web-2@n1", "shop/web-3@n2");
        var slice = h.slices("shop").get(0);
        assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> {
                    assertThat(o.getKind()).isEqualTo("EgressGatewayPolicy");
                    assertThat(o.getName()).isEqualTo("shop");
                    assertThat(o.getController()).isTrue();
                });
        assertThat(h.slices("shop")).allSatisfy(s -> assertThat(s.endpoints.size()).isLessThanOrEqualTo(2));

        client.pods().inNamespace("shop").withName("web-1").delete();
        h.cluster.pod("shop", "web-4", "n3", SHOP, "10.244.3.10");
        client.pods().inNamespace("shop").withName("other").edit(p -> {
            p.getMetadata().setLabels(SHOP);
            return p;
        });
        Await.until("churn followed", () -> endpoints().equals(Set.of("shop/web-2@n1", "shop/web-3@n2",
                "shop/web-4@n3", "shop/other@n2")), () -> endpoints().toString());
        Await.until("two full slices", () -> h.slices("shop").size() == 2);

        client.resources(EgressGatewayPolicy.class).withName("shop").delete();
        Await.until("slices deleted with the policy", () -> h.slices("shop").isEmpty());
    }

    @Test
    void activeActiveSpreadsNodeIpPoliciesOverAllReadyNodesWithAGatewayMark() {
        h.cluster.policy("spread", "gw", SHOP, EgressIpMode.NodeIP, null, AllocatorPolicy.DEFAULT);
        h.cluster.policy("eip", "gw", SHOP, EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("spread", "on both nodes", p -> p.status().nodes().equals(List.of("n2", "n3")));
        h.awaitPolicy("eip", "on one node", p -> p.status().node() != null && p.status().nodes().size() == 1);
        h.awaitGateway("gw", "a mark", g -> g.status().mark() != null);
        long mark = h.gateway("gw").status().mark();
        assertThat(mark & 0xff000000L).isEqualTo(0x26000000L);
        Set<Long> nodeMarks = new TreeSet<>();
        for (String n : List.of("n1", "n2", "n3")) {
            nodeMarks.add(h.egressNode(n).mark());
        }
        assertThat(nodeMarks).as("gateway mark distinct from node marks").doesNotContain(mark).hasSize(3);
    }

    @Test
    void programmedCountsAgentsReportsAndClusterInfoIsPublished() {
        h.cluster.policy("shop", "gw", SHOP, EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        h.start();
        h.awaitPolicy("shop", "0/3 programmed", p -> hasCondition(p, "Programmed", "False", "Programming")
                && msg(p, "Programmed").equals("0/3 nodes"));
        long gen = h.policy("shop").generation();
        for (String n : List.of("n1", "n2")) {
            h.adapters.updateOwnEgressNode().update(n, new AgentNodeReport("eth0", null, null, List.of(), true, null,
                    null, Map.of("shop", gen)));
        }
        h.awaitPolicy("shop", "2/3 programmed", p -> msg(p, "Programmed").equals("2/3 nodes"));
        h.adapters.updateOwnEgressNode().update("n3", new AgentNodeReport("eth0", null, null, List.of(), true, null,
                null, Map.of("shop", gen)));
        h.awaitPolicy("shop", "3/3 programmed", p -> hasCondition(p, "Programmed", "True", "AllNodesProgrammed")
                && msg(p, "Programmed").equals("3/3 nodes"));

        Await.until("cluster info published", () -> {
            var ci = client.resources(EgressClusterInfo.class).withName("default").get();
            return ci != null && ci.getStatus() != null && Boolean.TRUE.equals(ci.getStatus().complete);
        });
        var s = client.resources(EgressClusterInfo.class).withName("default").get().getStatus();
        assertThat(s.podCIDRs).as("node pod CIDRs inside the configured one are folded into it").containsExactly("10.244.0.0/16");
        assertThat(s.nodeIPs).containsExactly("192.0.2.11", "192.0.2.12", "192.0.2.13");
        assertThat(s.serviceCIDRs).containsExactly("10.96.0.0/12");
        assertThat(s.eipPools).isNotEmpty().allSatisfy(c -> assertThat(c).contains("/"));
        assertThat(s.tunnelCIDRs).containsExactly("172.31.0.0/16", "fd11::/112");
    }

    private static String msg(io.egressgateway.domain.model.Policy p, String type) {
        return p.status().conditions().stream().filter(c -> c.type().equals(type)).findFirst()
                .map(c -> c.message()).orElse("");
    }

    private Set<String> endpoints() {
        Set<String> out = new TreeSet<>();
        for (EgressEndpointSlice s : client.resources(EgressEndpointSlice.class).list().getItems()) {
            if (!"shop".equals(s.getMetadata().getLabels().get(Crds.POLICY_LABEL))) {
                continue;
            }
            for (var e : s.endpoints) {
                out.add(e.namespace + "/" + e.pod + "@" + e.node);
            }
        }
        return out;
    }
}
