package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactPodTest {

    private static Pod pod(String name, String ip) {
        // parsed from JSON as the informer gets it: every String is a fresh object
        String json = Serialization.asJson(new PodBuilder().withNewMetadata().withName(name).withNamespace("shop")
                .withUid("4f1c-" + name).withResourceVersion("1234").withGenerateName("web-")
                .addToLabels("app", "shop").addToLabels("tier", "web").addToAnnotations("note", "x")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-abc").endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("node2").withHostNetwork(false).addNewContainer().withName("web")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP(ip).addNewPodIP("fd00::" + name.length())
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        return Serialization.unmarshal(json, Pod.class);
    }

    @Test
    void mapsExactlyLikeTheFullPodAndLeavesTheFullOneAsItWas() {
        Pod full = pod("web-1", "10.244.2.7");
        String before = Serialization.asJson(full);
        Pod compact = CompactPod.of(full);
        assertThat(ResourceMapping.pod(compact)).isEqualTo(ResourceMapping.pod(full));
        assertThat(compact.getMetadata().getResourceVersion()).isEqualTo("1234");
        assertThat(Serialization.asJson(full)).isEqualTo(before);
    }

    @Test
    void keepsADeletionAndATerminatedPhase() {
        Pod full = pod("web-1", "10.244.2.7");
        full.getMetadata().setDeletionTimestamp("2026-12-03T00:00:00Z");
        full.getStatus().setPhase("Succeeded");
        Pod compact = CompactPod.of(full);
        assertThat(compact.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-03T00:00:00Z");
        assertThat(ResourceMapping.pod(compact).terminated()).isTrue();
    }

    @Test
    void keepsNothingElseAndSharesTheEmptyCollections() {
        Pod compact = CompactPod.of(pod("web-1", "10.244.2.7"));
        assertThat(compact.getMetadata().getUid()).isNull();
        assertThat(compact.getMetadata().getGenerateName()).isNull();
        assertThat(compact.getMetadata().getAnnotations()).isSameAs(Map.of());
        assertThat(compact.getMetadata().getOwnerReferences()).isSameAs(List.of());
        assertThat(compact.getSpec().getContainers()).isSameAs(List.of());
        assertThat(compact.getSpec().getVolumes()).isSameAs(List.of());
        assertThat(compact.getStatus().getConditions()).isSameAs(List.of());
        assertThat(compact.getAdditionalProperties()).isSameAs(Map.of());
        assertThatThrownBy(() -> compact.getMetadata().getLabels().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void twoPodsShareTheirRepeatedStrings() {
        Pod a = CompactPod.of(pod("web-1", "10.244.2.7"));
        Pod b = CompactPod.of(pod("web-2", "10.244.2.8"));
        assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
        assertThat(a.getSpec().getNodeName()).isSameAs(b.getSpec().getNodeName());
        assertThat(a.getStatus().getPhase()).isSameAs(b.getStatus().getPhase());
        assertThat(a.getMetadata().getLabels().get("app")).isSameAs(b.getMetadata().getLabels().get("app"));
        assertThat(a.getStatus().getPodIPs().get(0).getIp()).isSameAs(a.getStatus().getPodIP());
    }

    @Test
    void aPodWithoutSpecStatusOrLabelsStaysReadable() {
        Pod bare = new PodBuilder().withNewMetadata().withName("bare").withNamespace("shop").endMetadata().build();
        bare.getMetadata().setLabels(null);
        Pod compact = CompactPod.of(bare);
        assertThat(compact.getSpec()).isNull();
        assertThat(compact.getStatus()).isNull();
        assertThat(ResourceMapping.pod(compact)).isEqualTo(ResourceMapping.pod(bare));
    }
}
