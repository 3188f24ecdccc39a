package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class SlimItemStoreTest {

    private static Pod fullPod() {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").addToLabels("app", "shop")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{...}")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").build())
                .endMetadata()
                .withNewSpec().withNodeName("node2").withHostNetwork(false)
                .addNewContainer().withName("web").withImage("registry.example/web:1").endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.244.2.7").addNewPodIP("10.244.2.7")
                .addNewPodIP("fd00:10:244::7").addNewContainerStatus().withName("web").withReady(true)
                .endContainerStatus().endStatus().build();
    }

    @Test
    void aSlimPodMapsExactlyLikeTheFullOne() {
        Pod full = fullPod();
        var before = ResourceMapping.pod(full);
        Pod slim = SlimItemStore.slim(Serialization.clone(full));
        assertThat(ResourceMapping.pod(slim)).isEqualTo(before);
        assertThat(slim.getSpec().getContainers()).isEmpty();
        assertThat(slim.getSpec().getVolumes()).isEmpty();
        assertThat(slim.getStatus().getContainerStatuses()).isEmpty();
        assertThat(slim.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(slim.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(Serialization.asJson(slim).length()).isLessThan(Serialization.asJson(full).length() / 2);
    }

    @Test
    void theStoreKeepsTheSlimObjectUnderItsKey() {
        SlimItemStore<Pod> store = new SlimItemStore<>();
        Pod p = fullPod();
        store.put(store.getKey(p), p);
        assertThat(store.get("shop/web-1").getSpec().getContainers()).isEmpty();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.remove("shop/web-1")).isNotNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void otherObjectsLoseOnlyManagedFieldsAndNodesTheirImages() {
        EgressGateway g = new EgressGateway();
        g.setMetadata(new ObjectMetaBuilder().withName("default").addToAnnotations("a", "b")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build()).build());
        SlimItemStore.slim(g);
        assertThat(g.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(g.getMetadata().getAnnotations()).containsEntry("a", "b");
        Node n = new NodeBuilder().withNewMetadata().withName("node1").endMetadata().withNewSpec()
                .withPodCIDR("10.244.1.0/24").endSpec().withNewStatus().addNewImage().addToNames("img").endImage()
                .addNewAddress("10.6.0.10", "InternalIP").endStatus().build();
        var before = ResourceMapping.node(n);
        SlimItemStore.slim(n);
        assertThat(n.getStatus().getImages()).isNullOrEmpty();
        assertThat(ResourceMapping.node(n)).isEqualTo(before);
    }
}
