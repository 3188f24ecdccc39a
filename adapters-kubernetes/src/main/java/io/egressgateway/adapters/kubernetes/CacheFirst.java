package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where a controller write starts from without a GET (issue 18: a GET before every PUT doubled each
 * write's round trips): the informer's copy of the object, or, while the informer has not yet
 * delivered this controller's own last write of it, what that write returned. The write is sent with
 * that copy's resourceVersion; a 409 (someone else wrote in between, or the copy is older than we
 * know) falls back to the re-read path of {@link Conflicts}. Always a private clone: the informer's
 * objects are shared and never changed.
 */
final class CacheFirst<T extends HasMetadata> {
    /** Our last write of an object, and the resourceVersions known to be older than it. */
    private record Written<T>(java.util.Set<String> older, T object) {
    }

    private final Function<String, T> cache;
    private final KubernetesSerialization serialization;
    private final Map<String, Written<T>> written = new ConcurrentHashMap<>();

    /** {@code cache} returns the informer's copy by name, or null (not known, or no informer running). */
    CacheFirst(Function<String, T> cache, KubernetesSerialization serialization) {
        this.cache = cache;
        this.serialization = serialization;
    }

    /** A clone of the freshest copy known without asking the API server, or null when none is. */
    T base(String name) {
        T cached = cache.apply(name);
        Written<T> w = written.get(name);
        if (cached == null) {
            written.remove(name);
            return null;
        }
        if (w != null && w.older().contains(rv(cached))) {
            return serialization.clone(w.object()); // the informer lags behind our own write
        }
        if (w != null) {
            written.remove(name, w); // the informer caught up, or someone wrote after us
        }
        return serialization.clone(cached);
    }

    /**
     * A write returned {@code result}; {@code older} are the resourceVersions it is known to be newer
     * than (the one it was based on, and a cached one the write had to re-read past; nulls ignored).
     */
    void wrote(String name, T result, String... older) {
        if (result != null && result.getMetadata() != null && result.getMetadata().getResourceVersion() != null) {
            java.util.Set<String> o = new java.util.HashSet<>();
            for (String rv : older) {
                if (rv != null) {
                    o.add(rv);
                }
            }
            written.put(name, new Written<>(java.util.Set.copyOf(o), result));
        }
    }

    void forget(String name) {
        written.remove(name);
    }

    static String rv(HasMetadata o) {
        return o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
    }
}
