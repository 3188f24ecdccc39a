package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.WitnessKeyPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The witness key in the Secret {@value #NAME} ({@code key}: 32 random bytes) of the project's
 * namespace. The controller creates it when missing or refills it when emptied (a 409 means another
 * replica was first: adopt its key); agents only read it. RBAC: controller get and update on this
 * name and create on secrets; agents get on this name.
 */
final class KubernetesWitnessKeyAdapter implements WitnessKeyPort {
    static final String NAME = "egressgateway-witness-key";
    static final String KEY = "key";
    private final NamedSecret secret;

    KubernetesWitnessKeyAdapter(KubernetesClient client, String namespace) {
        this.secret = new NamedSecret(client, namespace, NAME, "Opaque");
    }

    @Override
    public byte[] loadOrCreate(byte[] candidate) {
        return secret.keepOrWrite(KubernetesWitnessKeyAdapter::decode, stored -> true, candidate, k -> Map.of(KEY, k));
    }

    @Override
    public Optional<byte[]> load() {
        return Optional.ofNullable(secret.read(KubernetesWitnessKeyAdapter::decode));
    }

    /** Null when missing or shorter than 16 bytes (someone emptied or truncated it). */
    private static byte[] decode(Map<String, byte[]> data) {
        byte[] key = data.get(KEY);
        return key != null && key.length >= 16 ? key : null;
    }
}
