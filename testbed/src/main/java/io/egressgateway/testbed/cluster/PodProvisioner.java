package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.kube.Identities;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's kubelet and CNI for pods a person adds with kubectl: a Pod written with
 * {@code spec.nodeName: nodeN} (there is no scheduler) gets a network namespace on that node, the
 * node's next pod addresses and a Running status, so a policy can select it and
 * {@code ip netns exec} can send from it.
 */
public final class PodProvisioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodProvisioner.class);

    private final Testbed testbed;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-kubelet");
        t.setDaemon(true);
        return t;
    });
    private final SharedIndexInformer<Pod> informer;

    private PodProvisioner(Testbed testbed) {
        this.testbed = testbed;
        this.informer = testbed.client().pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                worker.execute(() -> provision(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                worker.execute(() -> provision(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                // the namespace stays until the sandbox ends: a deleted pod's addresses are not reused
            }
        });
    }

    public static PodProvisioner start(Testbed testbed) {
        return new PodProvisioner(testbed);
    }

    private void provision(Pod pod) {
        String name = pod.getMetadata().getName();
        String node = pod.getSpec().getNodeName();
        boolean known = testbed.pods().stream().anyMatch(p -> p.name().equals(name));
        if (known || Identities.NAMESPACE.equals(pod.getMetadata().getNamespace())
                || pod.getMetadata().getDeletionTimestamp() != null
                || (pod.getStatus() != null && pod.getStatus().getPodIP() != null)) {
            return;
        }
        if (node == null || !testbed.nodeNames().contains(node)) {
            LOG.warn("sandbox: pod {}/{} stays Pending: set spec.nodeName to one of {} (the sandbox has no scheduler)",
                    pod.getMetadata().getNamespace(), name, testbed.nodeNames());
            return;
        }
        try {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            testbed.addPod(new TestbedOptions.PodSpec(name, pod.getMetadata().getNamespace(),
                    Integer.parseInt(node.substring(4)), labels));
        } catch (RuntimeException e) {
            LOG.warn("sandbox: cannot provision pod {}/{} on {}: {}", pod.getMetadata().getNamespace(), name, node,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }
}
