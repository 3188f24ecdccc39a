package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code caBundle} of the project's webhook configurations (deploy/webhooks.yaml) equal to
 * the CA the controller serves with, so the API server trusts the self-signed certificate. Writes only
 * webhooks whose bundle differs; a configuration that is not installed is skipped with a warning.
 *
 * <p>As a {@link Service} it also watches the two configurations by name (list/watch with a
 * {@code metadata.name} field selector, so RBAC can still name them) and publishes the last bundle
 * again whenever one of them is created or changed without it: re-applying deploy/webhooks.yaml
 * (whose caBundle is "") or installing it after the controller started no longer breaks admission
 * until a restart. The re-publishing runs on its own thread, never on an informer's.
 */
final class KubernetesCaBundleAdapter implements PublishCaBundlePort, Service {
    static final String VALIDATING = "egressgateway-validating";
    static final String MUTATING = "egressgateway-mutating";
    /** The informers' resync re-checks the cached configurations: a failed re-publish is retried. */
    static final long RESYNC_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCaBundleAdapter.class);

    private final KubernetesClient client;
    private volatile String lastPem;
    private InformerSet informers;
    private ExecutorService republisher;

    KubernetesCaBundleAdapter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void publish(String caBundlePem) {
        lastPem = caBundlePem;
        write(caBundlePem);
    }

    private synchronized void write(String caBundlePem) {
        String bundle = encoded(caBundlePem);
        var validating = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VALIDATING);
        ValidatingWebhookConfiguration v = validating.get();
        if (v == null) {
            LOG.warn("webhookconfiguration={} not installed; caBundle published once it is", VALIDATING);
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
            LOG.warn("webhookconfiguration={} not installed; caBundle published once it is", MUTATING);
        } else if (m.getWebhooks().stream().anyMatch(w -> !Objects.equals(bundle, w.getClientConfig().getCaBundle()))) {
            Conflicts.retry("caBundle of " + MUTATING, () -> mutating.edit(c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return c;
            }));
            LOG.info("webhookconfiguration={} caBundle published", MUTATING);
        }
    }

    private static String encoded(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "webhook-cabundle-watch";
    }

    @Override
    public synchronized void start() {
        republisher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "webhook-cabundle");
            t.setDaemon(true);
            return t;
        });
        informers = new InformerSet();
        informers.add(client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VALIDATING)
                .runnableInformer(RESYNC_MILLIS), v -> check(VALIDATING, v.getWebhooks().stream()
                .map(w -> w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle()).toList()));
        informers.add(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(MUTATING)
                .runnableInformer(RESYNC_MILLIS), m -> check(MUTATING, m.getWebhooks().stream()
                .map(w -> w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle()).toList()));
        informers.start();
    }

    /** Informer thread: only compares and hands the write over. */
    private void check(String configuration, java.util.List<String> bundles) {
        String pem = lastPem;
        if (pem == null) {
            return; // nothing published yet: the webhook server publishes at start
        }
        String want = encoded(pem);
        if (bundles.stream().allMatch(want::equals)) {
            return;
        }
        ExecutorService ex = republisher;
        if (ex == null || ex.isShutdown()) {
            return;
        }
        ex.execute(() -> {
            try {
                LOG.info("webhookconfiguration={} lacks the CA bundle (re-applied?); publishing it again",
                        configuration);
                write(lastPem);
            } catch (RuntimeException e) {
                LOG.warn("webhookconfiguration={} caBundle not republished (the next resync retries): {}",
                        configuration, e.toString());
            }
        });
    }

    @Override
    public synchronized void stop() {
        if (informers != null) {
            informers.stop();
            informers = null;
        }
        if (republisher != null) {
            republisher.shutdownNow();
            try {
                republisher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            republisher = null;
        }
    }
}
