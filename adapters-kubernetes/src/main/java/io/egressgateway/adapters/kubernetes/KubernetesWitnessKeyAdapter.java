package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.WitnessKeyPort;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The witness key in the Secret {@value #NAME} ({@code key}: 32 random bytes) of the project's
 * namespace. The controller creates it when missing (a 409 means another replica was first: adopt
 * its key); agents only read it. RBAC: controller get on this name and create on secrets; agents get
 * on this name.
 */
final class KubernetesWitnessKeyAdapter implements WitnessKeyPort {
    static final String NAME = "egressgateway-witness-key";
    static final String KEY = "key";
    private final KubernetesClient client;
    private final String namespace;

    KubernetesWitnessKeyAdapter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public byte[] loadOrCreate(byte[] candidate) {
        return Conflicts.retry("secret " + namespace + "/" + NAME, () -> {
            Optional<byte[]> stored = load();
            if (stored.isPresent()) {
                return stored.get();
            }
            client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(NAME)
                    .withNamespace(namespace).addToLabels("app.kubernetes.io/name", "egressgateway").endMetadata()
                    .withType("Opaque").withData(Map.of(KEY, Base64.getEncoder().encodeToString(candidate))).build())
                    .create();
            return candidate;
        });
    }

    @Override
    public Optional<byte[]> load() {
        Secret s = client.secrets().inNamespace(namespace).withName(NAME).get();
        if (s == null || s.getData() == null || s.getData().get(KEY) == null) {
            return Optional.empty();
        }
        byte[] key = Base64.getDecoder().decode(s.getData().get(KEY));
        return key.length >= 16 ? Optional.of(key) : Optional.empty();
    }
}
