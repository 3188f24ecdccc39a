package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's cache that keeps only what the project reads (docs/benchmarks.md, "Memory
 * footprint"). Every object loses {@code metadata.managedFields} (the server-side-apply bookkeeping,
 * often larger than the object and never read here; an update sent without it keeps the server's).
 * A Pod is replaced by a {@link CompactPod}: a new, read-only object with only what
 * {@code ResourceMapping.pod} reads (a Pod's containers, volumes and statuses are most of its size,
 * and the controller caches every Pod of the cluster); the event handlers get the Pod as it came.
 * Nodes lose their image list, slimmed in place. Nothing writes a cached Pod or Node back.
 */
final class SlimItemStore<T extends HasMetadata> implements ItemStore<T> {
    private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<HasMetadata> slimmer;

    SlimItemStore() {
        this(SlimItemStore::slim);
    }

    /**
     * {@code slimmer} gives what is stored for an object: the object trimmed in place, or a smaller copy (the
     * agent's: {@link AgentItems#trim}).
     */
    SlimItemStore(UnaryOperator<HasMetadata> slimmer) {
        this.slimmer = slimmer;
    }

    @Override
    public String getKey(T obj) {
        return store.getKey(obj);
    }

    /** Stores what the slimmer returns: a Pod's is a new {@link CompactPod}, the others the object trimmed in place. */
    @Override
    @SuppressWarnings("unchecked")
    public T put(String key, T obj) {
        return store.put(key, (T) slimmer.apply(obj));
    }

    @Override
    public T remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<T> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return store.get(key);
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T slim(T obj) {
        if (obj instanceof Pod p) {
            return (T) CompactPod.of(p);
        }
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        if (obj instanceof Node n && n.getStatus() != null) {
            n.getStatus().setImages(null);
        }
        return obj;
    }
}
