package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.mapping.CrMapping;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Fixtures on the mock API server: the committed CRDs, Nodes, Pods, gateways and policies. */
final class MockCluster {
    private final KubernetesClient client;

    MockCluster(KubernetesClient client) {
        this.client = client;
    }

    /** Installs deploy/crds/*.yml, so that the mock knows scope and status subresources. */
    MockCluster installCrds() {
        try (Stream<Path> files = Files.list(Path.of("../deploy/crds"))) {
            for (Path f : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
                            CustomResourceDefinition.class);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd)
                            .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Node node(String name, boolean ready, Map<String, String> labels, String internalIp, String podCidr) {
        Node n = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress().endStatus().build();
        return client.nodes().resource(n).create();
    }

    void setNodeReady(String name, boolean ready) {
        client.nodes().withName(name).edit(n -> {
            n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                    .forEach(c -> c.setStatus(ready ? "True" : "False"));
            return n;
        });
    }

    void setNodeLabels(String name, Map<String, String> labels) {
        client.nodes().withName(name).edit(n -> {
            n.getMetadata().setLabels(labels);
            return n;
        });
    }

    Pod pod(String ns, String name, String node, Map<String, String> labels, String... ips) {
        var b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase("Running");
        for (String ip : ips) {
            b.addNewPodIP(ip);
        }
        if (ips.length > 0) {
            b.withPodIP(ips[0]);
        }
        return client.pods().inNamespace(ns).resource(b.endStatus().build()).create();
    }

    EgressGateway gateway(String name, Map<String, String> nodeLabels, List<String> v4, String defaultV4) {
        Gateway g = new Gateway(name, 0, LabelSelector.of(nodeLabels),
                new IpPools(v4, List.of(), defaultV4, null), false, null);
        return client.resources(EgressGateway.class).resource(CrMapping.gateway(g)).create();
    }

    EgressGatewayPolicy policy(String name, String gateway, Map<String, String> podLabels, EgressIpMode mode,
                               String ipv4, AllocatorPolicy allocator) {
        Policy p = new Policy(name, 0, gateway, new AppliedTo(LabelSelector.of(podLabels), null, null),
                List.of("198.51.100.0/24"), new EgressIpSpec(mode, ipv4, null, allocator), 0, null);
        return client.resources(EgressGatewayPolicy.class).resource(CrMapping.policy(p)).create();
    }
}
