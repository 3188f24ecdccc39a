package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Supplier;

/** Optimistic concurrency: every write re-reads, changes, writes, and starts over on 409. */
final class Conflicts {
    static final int ATTEMPTS = 8;

    private Conflicts() {
    }

    static <T> T retry(String what, Supplier<T> readChangeWrite) {
        KubernetesClientException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return readChangeWrite.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IllegalStateException(what + ": still conflicting after " + ATTEMPTS + " re-reads", last);
    }

    static boolean isNotFound(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
    }
}
