package io.egressgateway.testbed;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes objects that describe the namespaces: a Node per node namespace (labels, pod CIDRs,
 * InternalIP, Ready) and a Pod per pod namespace (node, IPs, Running), as kubelet and the CNI would
 * report them.
 */
final class ClusterObjects {
    private ClusterObjects() {
    }

    static void create(KubernetesClient client, TestbedOptions options, Topology topology) {
        String now = Instant.now().toString();
        for (int i = 1; i <= options.nodes(); i++) {
            Node n = node(i, options, now);
            client.nodes().resource(n).create();
            // a real API server keeps what kubelet reports only through the status subresource
            client.nodes().withName(n.getMetadata().getName()).editStatus(cur -> {
                cur.setStatus(n.getStatus());
                return cur;
            });
        }
        Set<String> namespaces = new LinkedHashSet<>();
        options.pods().forEach(p -> namespaces.add(p.namespace()));
        for (String ns : namespaces) {
            Namespace n = new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("kubernetes.io/metadata.name", ns).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build();
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(n).create();
            }
            defaultServiceAccount(client, ns);
        }
        for (TestbedOptions.PodSpec p : options.pods()) {
            Pod pod = pod(p, topology.podIndex(p), options, now);
            client.pods().inNamespace(p.namespace()).resource(pod).create();
            client.pods().inNamespace(p.namespace()).withName(p.name()).editStatus(cur -> {
                cur.setStatus(pod.getStatus());
                return cur;
            });
        }
    }

    /** A pod added at run time: its object created unless it exists, then its status as kubelet reports it. */
    static void createOrReport(KubernetesClient client, TestbedOptions.PodSpec spec, int k, TestbedOptions options) {
        Pod pod = pod(spec, k, options, Instant.now().toString());
        if (client.pods().inNamespace(spec.namespace()).withName(spec.name()).get() == null) {
            defaultServiceAccount(client, spec.namespace());
            client.pods().inNamespace(spec.namespace()).resource(pod).create();
        }
        client.pods().inNamespace(spec.namespace()).withName(spec.name()).editStatus(cur -> {
            cur.setStatus(pod.getStatus());
            return cur;
        });
    }

    /**
     * The API server admits a Pod only once its namespace's {@code default} ServiceAccount exists;
     * kube-controller-manager creates it shortly after the namespace, so the testbed does not wait for it.
     */
    static void defaultServiceAccount(KubernetesClient client, String namespace) {
        if (client.serviceAccounts().inNamespace(namespace).withName("default").get() == null) {
            try {
                client.serviceAccounts().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                        .withNewMetadata().withName("default").endMetadata().build()).create();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    static Node node(int i, TestbedOptions options, String now) {
        String name = "node" + i;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        if (options.gatewayNodes().contains(i)) {
            labels.put("egress", "true");
        }
        List<String> cidrs = new ArrayList<>(List.of(Addressing.podCidrV4(i)));
        List<NodeAddress> addresses = new ArrayList<>(List.of(new NodeAddress(Addressing.nodeV4(i), "InternalIP")));
        if (options.dualStack()) {
            cidrs.add(Addressing.podCidrV6(i));
            addresses.add(new NodeAddress(Addressing.nodeV6(i), "InternalIP"));
        }
        addresses.add(new NodeAddress(name, "Hostname"));
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withPodCIDR(cidrs.get(0)).withPodCIDRs(cidrs).endSpec()
                .withNewStatus().withAddresses(addresses)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("testbed node namespace is up").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .endCondition()
                .endStatus().build();
    }

    static Pod pod(TestbedOptions.PodSpec p, int k, TestbedOptions options, String now) {
        List<PodIP> ips = new ArrayList<>(List.of(new PodIP(Addressing.podV4(p.node(), k))));
        if (options.dualStack()) {
            ips.add(new PodIP(Addressing.podV6(p.node(), k)));
        }
        return new PodBuilder().withNewMetadata().withName(p.name()).withNamespace(p.namespace())
                .withLabels(p.labels()).endMetadata()
                .withNewSpec().withNodeName("node" + p.node()).withAutomountServiceAccountToken(false)
                .addNewContainer().withName("app").withImage("testbed/none").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ips.get(0).getIp()).withPodIPs(ips)
                .withHostIP(Addressing.nodeV4(p.node())).withStartTime(now)
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
                .endStatus().build();
    }
}
