package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * An informer's objects mapped to the domain, sorted by name, remembered between snapshots (issue 18:
 * the agent's steady pass mapped all 1,000 policies and 1,000 slices again in every pass and for every
 * heartbeat, docs/agent.md "Where a pass spends its time"). An object is mapped again only when the
 * store holds a different instance or resourceVersion of it; when nothing changed the previous list
 * itself is returned, so that the planner can tell an unchanged snapshot by identity. Objects that
 * cannot be mapped are left out as {@link InformerSet#mapEach} does. Callers synchronize (one snapshot at a time).
 */
final class MappedItems<T extends HasMetadata, R> {
    private record Mapped<T, R>(T item, String resourceVersion, R value) {
    }

    private final Function<T, R> map;
    private Map<T, Mapped<T, R>> last = new IdentityHashMap<>();
    private List<R> lastList = List.of();
    private int lastSize = -1;

    MappedItems(Function<T, R> map) {
        this.map = Objects.requireNonNull(map, "map");
    }

    /** The mapped objects of {@code items} (the store's list, in any order), sorted by name. */
    List<R> of(List<T> items) {
        if (items.size() == lastSize && unchanged(items)) {
            return lastList;
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getName())));
        Map<T, Mapped<T, R>> now = new IdentityHashMap<>(sorted.size() * 2);
        List<R> out = new ArrayList<>(sorted.size());
        for (T o : sorted) {
            Mapped<T, R> m = last.get(o);
            if (m != null && Objects.equals(m.resourceVersion(), o.getMetadata().getResourceVersion())) {
                now.put(o, m);
                out.add(m.value());
                continue;
            }
            List<R> one = InformerSet.mapEach(List.of(o), map);
            if (!one.isEmpty()) {
                now.put(o, new Mapped<>(o, o.getMetadata().getResourceVersion(), one.get(0)));
                out.add(one.get(0));
            }
        }
        last = now;
        lastSize = items.size();
        // an object that cannot be mapped is not remembered: a change of size or instance maps again
        if (now.size() != items.size()) {
            lastSize = -1;
        }
        lastList = List.copyOf(out);
        return lastList;
    }

    private boolean unchanged(List<T> items) {
        for (T o : items) {
            Mapped<T, R> m = last.get(o);
            if (m == null || !Objects.equals(m.resourceVersion(), o.getMetadata().getResourceVersion())) {
                return false;
            }
        }
        return true;
    }
}
