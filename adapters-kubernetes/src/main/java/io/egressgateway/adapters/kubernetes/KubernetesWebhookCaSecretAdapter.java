package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
    private final KubernetesClient client;
    private final String namespace;

    KubernetesWebhookCaSecretAdapter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public StoredCa loadOrStore(StoredCa candidate) {
        // a 409 on create means another replica was first: the re-read adopts its CA
        return Conflicts.retry("secret " + namespace + "/" + NAME, () -> {
            Secret current = client.secrets().inNamespace(namespace).withName(NAME).get();
            StoredCa stored = read(current);
            if (stored != null) {
                return stored;
            }
            write(current, candidate);
            return candidate;
        });
    }

    @Override
    public StoredCa replace(StoredCa expected, StoredCa next) {
        return Conflicts.retry("secret " + namespace + "/" + NAME, () -> {
            Secret current = client.secrets().inNamespace(namespace).withName(NAME).get();
            StoredCa stored = read(current);
            if (stored != null && !stored.equals(expected)) {
                return stored;
            }
            write(current, next);
            return next;
        });
    }

    /** Create, or update with the read resourceVersion (so a concurrent writer makes it 409). */
    private void write(Secret current, StoredCa ca) {
        Secret wanted = secret(ca);
        if (current == null) {
            client.secrets().inNamespace(namespace).resource(wanted).create();
        } else {
            wanted.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            client.secrets().inNamespace(namespace).resource(wanted).update();
        }
    }

    private Secret secret(StoredCa ca) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new SecretBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "egressgateway").endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of(CERT, b64.encodeToString(ca.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                        KEY, b64.encodeToString(ca.privateKeyPem().getBytes(StandardCharsets.US_ASCII))))
                .build();
    }

    /** Null when missing or incomplete (someone emptied it): the caller then stores a fresh CA. */
    private static StoredCa read(Secret s) {
        if (s == null || s.getData() == null) {
            return null;
        }
        String cert = s.getData().get(CERT);
        String key = s.getData().get(KEY);
        if (cert == null || key == null || cert.isEmpty() || key.isEmpty()) {
            return null;
        }
        Base64.Decoder d = Base64.getDecoder();
        return new StoredCa(new String(d.decode(cert), StandardCharsets.US_ASCII),
                new String(d.decode(key), StandardCharsets.US_ASCII));
    }
}
