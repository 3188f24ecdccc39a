package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The controller's CA reaches every webhook of deploy/webhooks.yaml, a missing configuration is no
 * error, and while the watch runs a re-applied or late-installed configuration gets the CA back.
 */
@EnableKubernetesMockClient(crud = true)
class CaBundleTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
    KubernetesClient client;

    static void installWebhookConfigurations(KubernetesClient client) {
        try (InputStream in = Files.newInputStream(Path.of("../deploy/webhooks.yaml"))) {
            for (HasMetadata o : client.load(in).items()) {
                if (o instanceof ValidatingWebhookConfiguration || o instanceof MutatingWebhookConfiguration) {
                    client.resource(o).create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyWebhookGetsTheBundle() {
        installWebhookConfigurations(client);
        new KubernetesCaBundleAdapter(client).publish(PEM);
        String expected = Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8));
        var v = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.VALIDATING).get();
        var m = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.MUTATING).get();
        assertThat(v.getWebhooks()).isNotEmpty().allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isEqualTo(expected));
        assertThat(m.getWebhooks()).isNotEmpty().allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isEqualTo(expected));
    }

    @Test
    void publishingTheSameBundleAgainWritesNothing() {
        installWebhookConfigurations(client);
        KubernetesCaBundleAdapter adapter = new KubernetesCaBundleAdapter(client);
        adapter.publish(PEM);
        String version = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.VALIDATING).get().getMetadata().getResourceVersion();
        adapter.publish(PEM);
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.VALIDATING).get().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void missingConfigurationsAreSkipped() {
        new KubernetesCaBundleAdapter(client).publish(PEM);
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems()).isEmpty();
    }

    private String validatingBundle() {
        var v = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.VALIDATING).get();
        return v == null ? null : v.getWebhooks().get(0).getClientConfig().getCaBundle();
    }

    private String mutatingBundle() {
        var m = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.MUTATING).get();
        return m == null ? null : m.getWebhooks().get(0).getClientConfig().getCaBundle();
    }

    /** What kubectl apply -f deploy/webhooks.yaml does to a live configuration: caBundle back to "". */
    private void reApplyWebhooksYaml() {
        client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.VALIDATING).edit(c -> {
                    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(""));
                    return c;
                });
        client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(KubernetesCaBundleAdapter.MUTATING).edit(c -> {
                    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(""));
                    return c;
                });
    }

    @Test
    void aReAppliedConfigurationGetsTheBundleBack() {
        installWebhookConfigurations(client);
        KubernetesCaBundleAdapter adapter = new KubernetesCaBundleAdapter(client);
        String expected = Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8));
        adapter.start();
        try {
            adapter.publish(PEM);
            reApplyWebhooksYaml();
            Await.until("caBundle republished after re-apply",
                    () -> expected.equals(validatingBundle()) && expected.equals(mutatingBundle()));
        } finally {
            adapter.stop();
        }
    }

    @Test
    void configurationsInstalledAfterTheControllerStartedGetTheBundle() {
        KubernetesCaBundleAdapter adapter = new KubernetesCaBundleAdapter(client);
        String expected = Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8));
        adapter.start();
        try {
            adapter.publish(PEM);
            installWebhookConfigurations(client);
            Await.until("caBundle published once installed",
                    () -> expected.equals(validatingBundle()) && expected.equals(mutatingBundle()));
        } finally {
            adapter.stop();
        }
    }
}
