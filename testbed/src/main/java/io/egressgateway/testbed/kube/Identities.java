package io.egressgateway.testbed.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The product's identities on the testbed's API server, as a cluster gives them to its pods: a Pod
 * object per process (the agent of node N is Pod {@code egressgateway-agent-nodeN} with
 * {@code spec.nodeName: nodeN}, the controller {@code egressgateway-controller-testbed}), and a
 * service-account token from the TokenRequest API bound to that Pod. The API server then knows the
 * caller's service account (for RBAC of {@code deploy/rbac.yaml}) and, for an agent, its node
 * ({@code authentication.kubernetes.io/node-name}, for the node-restriction policy). The testbed plays
 * kubelet: it marks the Pods Running. The service accounts themselves come from {@code deploy/rbac.yaml}.
 */
public final class Identities {
    public static final String NAMESPACE = "egressgateway";
    public static final String CONTROLLER_SA = "egressgateway-controller";
    public static final String AGENT_SA = "egressgateway-agent";
    private static final long TOKEN_SECONDS = 24 * 3600;

    private final ControlPlane cp;
    private final Path dir;

    Identities(ControlPlane cp, Path dir) {
        this.cp = cp;
        this.dir = dir;
    }

    /** The controller's kubeconfig (it runs inside the control plane's namespace, so no relay). */
    public Path controller() {
        return serviceAccount(CONTROLLER_SA, "egressgateway-controller-testbed", null, "controller",
                cp.inNamespaceUrl());
    }

    /** The kubeconfig of {@code node}'s agent, through {@code server} (the relay, or a test's own proxy). */
    public Path agent(String node, String server) {
        return serviceAccount(AGENT_SA, "egressgateway-agent-" + node, node, "agent", server);
    }

    private Path serviceAccount(String sa, String podName, String node, String component, String server) {
        String user = "system:serviceaccount:" + NAMESPACE + ":" + sa;
        return Kubeconfigs.write(dir.resolve(podName + (server.equals(cp.inNamespaceUrl()) ? "" : "-" + server.hashCode())
                + ".kubeconfig"), server, cp.caPem(), podToken(sa, podName, node, component), user, NAMESPACE);
    }

    /**
     * A token of service account {@code sa} bound to Pod {@code podName} (created, marked Running, on
     * {@code node} when not null): what kubelet projects into a pod at
     * {@code /var/run/secrets/kubernetes.io/serviceaccount/token}.
     */
    public String podToken(String sa, String podName, String node, String component) {
        KubernetesClient c = cp.client();
        Pod pod = c.pods().inNamespace(NAMESPACE).withName(podName).get();
        if (pod == null) {
            PodBuilder b = new PodBuilder().withNewMetadata().withName(podName).withNamespace(NAMESPACE)
                    .withLabels(Map.of("app.kubernetes.io/name", "egressgateway", "app.kubernetes.io/component", component))
                    .endMetadata()
                    .withNewSpec().withServiceAccountName(sa).withAutomountServiceAccountToken(false)
                    .withHostNetwork(node != null).withNodeName(node)
                    .addNewContainer().withName(component).withImage("egressgateway:testbed").endContainer()
                    .endSpec();
            pod = c.pods().inNamespace(NAMESPACE).resource(b.build()).create();
            markRunning(c, pod);
        }
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(TOKEN_SECONDS)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(podName)
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build();
        TokenRequest issued = c.serviceAccounts().inNamespace(NAMESPACE).withName(sa).tokenRequest(request);
        return issued.getStatus().getToken();
    }

    private static void markRunning(KubernetesClient c, Pod pod) {
        String now = Instant.now().toString();
        c.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setStartTime(now);
            return p;
        });
    }
}
