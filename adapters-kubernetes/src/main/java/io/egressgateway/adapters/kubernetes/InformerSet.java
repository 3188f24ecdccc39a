package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of informers started and stopped together. Every add/update/delete calls the listener
 * with the object (the old one on delete), from an informer thread; the listener must not block.
 * Every informer keeps its objects in a {@link SlimItemStore} (no managedFields; Pods reduced to
 * what is read).
 */
final class InformerSet {
    private static final Logger LOG = LoggerFactory.getLogger(InformerSet.class);
    /**
     * Objects per page of an informer's list ({@code limit}/{@code continue}): an initial list of
     * 10,000 Pods in one response (about 30 MB of JSON with managedFields, parsed whole before any
     * object is slimmed) ran a controller with -Xmx192m out of heap; pages of 500 keep that peak to
     * a few MiB (docs/benchmarks.md, "Memory footprint").
     */
    static final long PAGE = 500;
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final UnaryOperator<HasMetadata> slimmer;

    InformerSet() {
        this(SlimItemStore::slim);
    }

    /** {@code slimmer}: what every informer's store does to an object before keeping it (the agent's: {@link AgentItems#trim}). */
    InformerSet(UnaryOperator<HasMetadata> slimmer) {
        this.slimmer = slimmer;
    }

    <T extends HasMetadata> SharedIndexInformer<T> add(SharedIndexInformer<T> informer, Consumer<T> listener) {
        informer.itemStore(new SlimItemStore<>(slimmer));
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                listener.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                listener.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                listener.accept(obj);
            }
        });
        // Always retry (with the client's backoff): the default handler stops an informer whose relist
        // fails, and an agent would then stay deaf after an API server outage. A 410 Gone needs nothing
        // here: the informer relists by itself. Logged, so an outage is visible per informer.
        String type = informer.getApiTypeClass().getSimpleName();
        informer.exceptionHandler((started, t) -> {
            LOG.warn("informer={} list/watch failed (started={}), retrying with backoff: {}", type, started,
                    t.toString());
            return true;
        });
        informers.add(informer);
        return informer;
    }

    void start() {
        for (var i : informers) {
            i.start();
        }
    }

    boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    void stop() {
        for (var i : informers) {
            try {
                i.stop();
            } catch (RuntimeException e) {
                LOG.warn("informer={} did not stop cleanly: {}", i.getApiTypeClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * The informer's cache mapped and sorted by name, so that two readers of the same objects agree.
     * Each object is mapped on its own: one that cannot be mapped is left out (and logged once per
     * resourceVersion), never the whole list.
     */
    static <T extends HasMetadata, R> List<R> sorted(SharedIndexInformer<T> informer, Function<T, R> map) {
        return mapEach(informer.getStore().list().stream()
                .sorted(Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getName()))).toList(), map);
    }

    /** Maps every object on its own; see {@link #sorted}. */
    static <T extends HasMetadata, R> List<R> mapEach(List<T> objects, Function<T, R> map) {
        List<R> out = new ArrayList<>(objects.size());
        for (T o : objects) {
            try {
                out.add(map.apply(o));
            } catch (RuntimeException e) {
                String key = o.getKind() + "/" + o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion();
                if (UNMAPPABLE.size() > 1000) {
                    UNMAPPABLE.clear();
                }
                if (UNMAPPABLE.add(key)) {
                    LOG.warn("kind={} name={} left out: it cannot be read ({})", o.getKind(), o.getMetadata().getName(),
                            e.toString());
                }
            }
        }
        return out;
    }

    private static final java.util.Set<String> UNMAPPABLE = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
