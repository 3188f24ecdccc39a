package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The product's JSON mapping: the kinds it reads are mapped without fabric8's scan of the class path. */
@EnableKubernetesMockClient(crud = true)
class KindMappingTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private static String event(String apiVersion, String kind, String name) {
        return "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind
                + "\",\"metadata\":{\"name\":\"" + name + "\",\"resourceVersion\":\"7\"}}}";
    }

    @Test
    void aWatchEventOfAListedKindArrivesAsItsClass() {
        KubernetesSerialization mapping = KindMapping.serialization();

        Object pod = mapping.unmarshal(event("v1", "Pod", "web-1"), WatchEvent.class).getObject();
        Object node = mapping.unmarshal(event("egressgateway.spidernet.io/v1", "EgressNode", "node1"), WatchEvent.class)
                .getObject();

        assertThat(pod).isInstanceOf(Pod.class).extracting(p -> ((Pod) p).getMetadata().getName()).isEqualTo("web-1");
        assertThat(node).isInstanceOf(EgressNode.class);
    }

    @Test
    void aWatchErrorArrivesAsAStatusSoThatAnExpiredWatchRelists() {
        String expired = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version: 313 (326)\",\"reason\":\"Expired\","
                + "\"code\":410}}";

        Object status = KindMapping.serialization().unmarshal(expired, WatchEvent.class).getObject();

        assertThat(status).isInstanceOf(io.fabric8.kubernetes.api.model.Status.class);
        assertThat(((io.fabric8.kubernetes.api.model.Status) status).getCode()).isEqualTo(410);
    }

    @Test
    void onlyTheListedKindsAreMappedWhereFabric8sDefaultScansEveryModelJar() {
        assertThat(KindMapping.serialization().getRegisteredKubernetesResource("v1", "ConfigMap")).isNull();
        assertThat(KindMapping.serialization().getRegisteredKubernetesResource("v1", "Pod")).isEqualTo(Pod.class);
        Object unlisted = KindMapping.serialization().unmarshal(event("v1", "ConfigMap", "c"), WatchEvent.class)
                .getObject();
        assertThat(unlisted).isNotInstanceOf(ConfigMap.class);
        // the behaviour this class opts out of, so that the assertion above means something
        assertThat(new KubernetesSerialization().getRegisteredKubernetesResource("v1", "ConfigMap"))
                .isEqualTo(ConfigMap.class);
    }

    @Test
    void aKubeconfigReadsAsFabric8ReadsIt() {
        String kubeconfig = String.join("\n", "apiVersion: v1", "kind: Config", "current-context: agent",
                "clusters:", "- name: test", "  cluster:", "    server: https://10.0.0.1:6443",
                "    insecure-skip-tls-verify: true", "  extensions:", "  - name: client.authentication.k8s.io/exec",
                "    extension: {provider: test}", "users:", "- name: agent", "  user:", "    token: s3cret",
                "contexts:", "- name: agent", "  context: {cluster: test, user: agent, namespace: egressgateway}", "");

        io.fabric8.kubernetes.client.Config ours = KindMapping.kubeconfig(kubeconfig, KindMapping.serialization());
        io.fabric8.kubernetes.client.Config theirs = io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig);

        assertThat(ours.getMasterUrl()).isEqualTo("https://10.0.0.1:6443/").isEqualTo(theirs.getMasterUrl());
        assertThat(ours.getAutoOAuthToken()).isEqualTo("s3cret").isEqualTo(theirs.getAutoOAuthToken());
        assertThat(ours.getNamespace()).isEqualTo("egressgateway").isEqualTo(theirs.getNamespace());
        assertThat(ours.isTrustCerts()).isTrue().isEqualTo(theirs.isTrustCerts());
        assertThat(ours.getCurrentContext().getName()).isEqualTo("agent");
    }

    @Test
    void anInformerOfAnUnlistedKindStillReceivesItsWatchEventsTyped() throws InterruptedException {
        BlockingQueue<Object> added = new ArrayBlockingQueue<>(8);
        try (KubernetesClient mapped = new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withKubernetesSerialization(KindMapping.serialization()).build();
             SharedIndexInformer<ConfigMap> informer = mapped.configMaps().inNamespace("default").inform(
                     new ResourceEventHandler<>() {
                         @Override
                         public void onAdd(ConfigMap obj) {
                             added.add(obj);
                         }

                         @Override
                         public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                         }

                         @Override
                         public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                         }
                     })) {
            // created after the informer's initial list: it arrives through the watch
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("settings").endMetadata().addToData("k", "v").build()).create();

            Object got = added.poll(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(got).isInstanceOf(ConfigMap.class);
            assertThat(((ConfigMap) got).getData()).containsEntry("k", "v");
            assertThat(informer.hasSynced()).isTrue();
        }
    }
}
