package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One Secret of the project's namespace kept by name (the webhook CA, the witness key): read, and
 * written only when what is stored is missing, incomplete or not to be kept. A write creates the
 * Secret or updates it at the resourceVersion just read, so a replica writing at the same time makes
 * it 409 and the retry adopts what that replica stored.
 */
final class NamedSecret {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String type;

    NamedSecret(KubernetesClient client, String namespace, String name, String type) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.type = type;
    }

    /** The decoded value, or null when the Secret is missing or {@code decode} finds it incomplete. */
    <T> T read(Function<Map<String, byte[]>, T> decode) {
        return decode.apply(data(get()));
    }

    /**
     * The stored value when {@code decode} reads one and {@code keep} accepts it; otherwise stores
     * {@code next} (encoded by {@code encode}) and returns it.
     */
    <T> T keepOrWrite(Function<Map<String, byte[]>, T> decode, Predicate<T> keep, T next,
                      Function<T, Map<String, byte[]>> encode) {
        return Conflicts.retry("secret " + namespace + "/" + name, () -> {
            Secret current = get();
            T stored = decode.apply(data(current));
            if (stored != null && keep.test(stored)) {
                return stored;
            }
            write(current, encode.apply(next));
            return next;
        });
    }

    private Secret get() {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    private void write(Secret current, Map<String, byte[]> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        Secret wanted = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "egressgateway").endMetadata()
                .withType(type).withData(encoded).build();
        if (current == null) {
            client.secrets().inNamespace(namespace).resource(wanted).create();
        } else {
            wanted.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            client.secrets().inNamespace(namespace).resource(wanted).update();
        }
    }

    /** The Secret's data decoded from base64; empty when it is missing or holds none. */
    private static Map<String, byte[]> data(Secret s) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (s != null && s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
        }
        return out;
    }
}
