package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The webhook CA in the Secret {@value #NAME} (type kubernetes.io/tls: {@code tls.crt} is the CA
 * certificate, {@code tls.key} its key) in the project's namespace. Created when missing (a 409
 * means another replica was first: adopt its CA), filled when emptied, replaced only when it still
 * holds the expected CA.
 * RBAC: get and update on this name, create on secrets (create cannot be limited by name).
 */
final class KubernetesWebhookCaSecretAdapter implements StoreWebhookCaPort {
    static final String NAME = "egressgateway-webhook-ca";
    static final String CERT = "tls.crt";
    static final String KEY = "tls.key";
    private final NamedSecret secret;

    KubernetesWebhookCaSecretAdapter(KubernetesClient client, String namespace) {
        this.secret = new NamedSecret(client, namespace, NAME, "kubernetes.io/tls");
    }

    @Override
    public StoredCa loadOrStore(StoredCa candidate) {
        return secret.keepOrWrite(KubernetesWebhookCaSecretAdapter::decode, stored -> true, candidate,
                KubernetesWebhookCaSecretAdapter::encode);
    }

    @Override
    public StoredCa replace(StoredCa expected, StoredCa next) {
        // someone else's newer CA is kept: only the CA this replica expected is replaced
        return secret.keepOrWrite(KubernetesWebhookCaSecretAdapter::decode, stored -> !stored.equals(expected), next,
                KubernetesWebhookCaSecretAdapter::encode);
    }

    private static Map<String, byte[]> encode(StoredCa ca) {
        return Map.of(CERT, ca.certificatePem().getBytes(StandardCharsets.US_ASCII),
                KEY, ca.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
    }

    /** Null when missing or incomplete (someone emptied it): the caller then stores a fresh CA. */
    private static StoredCa decode(Map<String, byte[]> data) {
        byte[] cert = data.get(CERT);
        byte[] key = data.get(KEY);
        if (cert == null || key == null || cert.length == 0 || key.length == 0) {
            return null;
        }
        return new StoredCa(new String(cert, StandardCharsets.US_ASCII), new String(key, StandardCharsets.US_ASCII));
    }
}
