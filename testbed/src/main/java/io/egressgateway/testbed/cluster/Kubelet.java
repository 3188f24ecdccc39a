package io.egressgateway.testbed.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the testbed does in kubelet's place: a real API server drops the status of a Pod on create
 * (a new Pod is Pending with no IP), so a Pod the testbed runs is created first and then reported
 * Running, with its IPs, through the status subresource, as kubelet does once the CNI has set it up.
 */
public final class Kubelet {
    private Kubelet() {
    }

    /** Creates {@code pod} without its status, then writes the status it carries. */
    public static void createRunning(KubernetesClient client, Pod pod) {
        PodStatus status = pod.getStatus();
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
        report(client, pod, status);
    }

    /** Writes {@code status} as the status of the existing Pod named like {@code pod}. */
    public static void report(KubernetesClient client, Pod pod, PodStatus status) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(cur -> {
                    cur.setStatus(status);
                    return cur;
                });
    }
}
