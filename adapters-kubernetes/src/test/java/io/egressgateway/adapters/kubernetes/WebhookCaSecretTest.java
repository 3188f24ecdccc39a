package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.out.StoreWebhookCaPort.StoredCa;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook CA kept in Secret egressgateway-webhook-ca: created once, adopted by later starts. */
@EnableKubernetesMockClient(crud = true)
class WebhookCaSecretTest {
    static final StoredCa A = new StoredCa("-----BEGIN CERTIFICATE-----\nA\n", "-----BEGIN PRIVATE KEY-----\na\n");
    static final StoredCa B = new StoredCa("-----BEGIN CERTIFICATE-----\nB\n", "-----BEGIN PRIVATE KEY-----\nb\n");
    KubernetesClient client;
    KubernetesWebhookCaSecretAdapter store;

    @BeforeEach
    void setUp() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("egressgateway").endMetadata()
                .build()).create();
        store = new KubernetesWebhookCaSecretAdapter(client, "egressgateway");
    }

    @Test
    void theFirstStartStoresItsCaAndLaterStartsAdoptIt() {
        assertThat(store.loadOrStore(A)).isEqualTo(A);
        assertThat(new KubernetesWebhookCaSecretAdapter(client, "egressgateway").loadOrStore(B)).isEqualTo(A);
        var secret = client.secrets().inNamespace("egressgateway").withName(KubernetesWebhookCaSecretAdapter.NAME).get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key");
    }

    @Test
    void replaceWritesOnlyOverTheExpectedCa() {
        store.loadOrStore(A);
        assertThat(store.replace(B, B)).as("another replica rotated first: adopt").isEqualTo(A);
        assertThat(store.replace(A, B)).isEqualTo(B);
        assertThat(store.loadOrStore(A)).isEqualTo(B);
    }

    @Test
    void anEmptiedSecretIsFilledAgain() {
        store.loadOrStore(A);
        client.secrets().inNamespace("egressgateway").withName(KubernetesWebhookCaSecretAdapter.NAME).edit(s -> {
            s.setData(Map.of());
            return s;
        });
        assertThat(store.loadOrStore(B)).isEqualTo(B);
        assertThat(store.loadOrStore(A)).isEqualTo(B);
    }
}
