package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code caBundle} of the project's webhook configurations (deploy/webhooks.yaml) equal to
 * the CA the controller serves with, so the API server trusts the self-signed certificate. Writes only
 * webhooks whose bundle differs; a configuration that is not installed is skipped with a warning (the
 * next rotation check publishes again).
 */
final class KubernetesCaBundleAdapter implements PublishCaBundlePort {
    static final String VALIDATING = "egressgateway-validating";
    static final String MUTATING = "egressgateway-mutating";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCaBundleAdapter.class);

    private final KubernetesClient client;

    KubernetesCaBundleAdapter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void publish(String caBundlePem) {
        String bundle = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
        var validating = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VALIDATING);
        ValidatingWebhookConfiguration v = validating.get();
        if (v == null) {
            LOG.warn("webhookconfiguration={} not installed; caBundle not published", VALIDATING);
        } else if (v.getWebhooks().stream().anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
            Conflicts.retry("caBundle of " + VALIDATING, () -> validating.edit(c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return c;
            }));
            LOG.info("webhookconfiguration={} caBundle published", VALIDATING);
        }
        var mutating = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(MUTATING);
        MutatingWebhookConfiguration m = mutating.get();
        if (m == null) {
            LOG.warn("webhookconfiguration={} not installed; caBundle not published", MUTATING);
        } else if (m.getWebhooks().stream().anyMatch(w -> !Objects.equals(bundle, w.getClientConfig().getCaBundle()))) {
            Conflicts.retry("caBundle of " + MUTATING, () -> mutating.edit(c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return c;
            }));
            LOG.info("webhookconfiguration={} caBundle published", MUTATING);
        }
    }
}
