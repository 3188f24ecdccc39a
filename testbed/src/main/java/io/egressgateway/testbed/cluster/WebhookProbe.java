package io.egressgateway.testbed.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether kube-apiserver can call the controller's admission webhooks: a server-side dry run of a
 * policy create goes through the mutating webhook first (nothing is stored), so any answer but the
 * API server's "failed calling webhook" means the webhook was reached and answered.
 */
final class WebhookProbe {
    private static final String PROBE = """
            apiVersion: egressgateway.spidernet.io/v1
            kind: EgressGatewayPolicy
            metadata:
              name: testbed-webhook-probe
            spec:
              egressGatewayName: testbed-webhook-probe
              appliedTo:
                podSelector:
                  matchLabels: {testbed: webhook-probe}
            """;

    private WebhookProbe() {
    }

    static boolean served(KubernetesClient client) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(PROBE, GenericKubernetesResource.class);
        try {
            client.genericKubernetesResources(Resources.kind("EgressGatewayPolicy")).resource(r).dryRun().create();
            return true;
        } catch (KubernetesClientException e) {
            String m = String.valueOf(e.getMessage());
            return !(m.contains("failed calling webhook") || m.contains("failed to call webhook"));
        }
    }
}
