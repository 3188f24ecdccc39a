package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The witness key kept in Secret egressgateway-witness-key: created once, adopted, refilled when cut. */
@EnableKubernetesMockClient(crud = true)
class WitnessKeySecretTest {
    static final byte[] A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes();
    static final byte[] B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".getBytes();
    KubernetesClient client;
    KubernetesWitnessKeyAdapter store;

    @BeforeEach
    void setUp() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("egressgateway").endMetadata()
                .build()).create();
        store = new KubernetesWitnessKeyAdapter(client, "egressgateway");
    }

    @Test
    void theFirstControllerCreatesTheKeyAndOthersAdoptIt() {
        assertThat(store.load()).isEmpty();
        assertThat(store.loadOrCreate(A)).isEqualTo(A);
        assertThat(new KubernetesWitnessKeyAdapter(client, "egressgateway").loadOrCreate(B)).isEqualTo(A);
        assertThat(store.load()).hasValue(A);
        var secret = client.secrets().inNamespace("egressgateway").withName(KubernetesWitnessKeyAdapter.NAME).get();
        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getData()).containsOnlyKeys("key");
    }

    @Test
    void aTruncatedKeyIsNotUsedAndIsWrittenAnew() {
        store.loadOrCreate(A);
        client.secrets().inNamespace("egressgateway").withName(KubernetesWitnessKeyAdapter.NAME).edit(s -> {
            s.setData(Map.of("key", Base64.getEncoder().encodeToString("short".getBytes())));
            return s;
        });
        assertThat(store.load()).as("a key under 16 bytes signs nothing").isEmpty();
        assertThat(store.loadOrCreate(B)).isEqualTo(B);
        assertThat(store.load()).hasValue(B);
    }
}
