package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfoStatus;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The optional network sources against the mock API server: with no cluster CIDR setting, the
 * EgressClusterInfo is incomplete (and says why) until a ServiceCIDR exists, and lists the Nodes', the
 * ServiceCIDR's and the enabled IPPools' CIDRs with their sources; a disabled pool is left out.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterNetworksTest {
    static final ResourceDefinitionContext SERVICE_CIDR = context("networking.k8s.io", "ServiceCIDR", "servicecidrs");
    static final ResourceDefinitionContext IPPOOL = context("crd.projectcalico.org", "IPPool", "ippools");
    KubernetesClient client;
    KubernetesMockServer server;
    ControllerHarness h;

    static ResourceDefinitionContext context(String group, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(false).build();
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void detectedNetworksWithTheirSourcesAndCompleteOnlyWithBoth() {
        serveDiscovery("networking.k8s.io/v1", "servicecidrs", "ServiceCIDR");
        serveDiscovery("crd.projectcalico.org/v1", "ippools", "IPPool");
        create(IPPOOL, "default-ipv4-ippool", Map.of("cidr", "10.250.0.0/16"));
        create(IPPOOL, "no-nat-to-partner", Map.of("cidr", "198.51.100.0/24", "disabled", true));
        h = new ControllerHarness(client, TestSettings.detecting());
        h.cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        h.start();
        Await.until("cluster info incomplete without a service network", () -> status() != null
                && Boolean.FALSE.equals(status().complete) && status().conditions != null);
        assertThat(status().conditions).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("NoServiceCIDR");
            assertThat(c.getMessage()).startsWith("no service network: no ServiceCIDR object exists");
        });

        create(SERVICE_CIDR, "kubernetes", Map.of("cidrs", List.of("10.96.0.0/12")));
        Await.until("cluster info complete", () -> Boolean.TRUE.equals(status().complete));
        EgressClusterInfoStatus s = status();
        assertThat(s.podCIDRs).containsExactly("10.244.1.0/24", "10.250.0.0/16");
        assertThat(s.serviceCIDRs).containsExactly("10.96.0.0/12");
        assertThat(s.sources).extracting(x -> x.network + " " + x.cidr + " " + x.from).containsExactly(
                "pod 10.244.1.0/24 Node/n1", "pod 10.250.0.0/16 IPPool/default-ipv4-ippool",
                "service 10.96.0.0/12 ServiceCIDR/kubernetes");
    }

    @Test
    void withoutTheKindsServedNothingWaitsForThem() {
        h = new ControllerHarness(client, TestSettings.detecting());
        h.cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        h.start();
        Await.until("cluster info written", () -> status() != null && status().conditions != null);
        assertThat(status().complete).isFalse();
        assertThat(status().conditions.get(0).getMessage()).startsWith(
                "no service network: the API server serves no ServiceCIDR objects (Kubernetes < 1.33)");
    }

    private EgressClusterInfoStatus status() {
        EgressClusterInfo ci = client.resources(EgressClusterInfo.class).withName(EgressClusterInfo.DEFAULT_NAME).get();
        return ci == null ? null : ci.getStatus();
    }

    private void create(ResourceDefinitionContext ctx, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(ctx.getGroup() + "/" + ctx.getVersion());
        r.setKind(ctx.getKind());
        r.setMetadata(new ObjectMetaBuilder().withName(name).build());
        r.setAdditionalProperty("spec", spec);
        client.genericKubernetesResources(ctx).resource(r).create();
    }

    private void serveDiscovery(String groupVersion, String plural, String kind) {
        server.expect().get().withPath("/apis/" + groupVersion).andReturn(200, new APIResourceListBuilder()
                .withGroupVersion(groupVersion).addNewResource().withName(plural).withKind(kind)
                .withNamespaced(false).withVerbs("list", "watch").endResource().build()).always();
    }
}
