package io.egressgateway.domain.datapath;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A node's datapath: every owned kernel object, at most one per (kind, key), kept sorted by kind and
 * key so that equal datapaths render to equal text whatever order they were built in.
 */
public record Datapath(List<DatapathObject> objects) {
    public Datapath {
        // Keys are computed once per object: the comparator would otherwise build them O(n log n) times.
        Map<String, DatapathObject> unique = new LinkedHashMap<>();
        Map<DatapathObject, String> keys = new IdentityHashMap<>();
        for (DatapathObject o : objects) {
            String key = o.key();
            DatapathObject previous = unique.putIfAbsent(o.kind() + "|" + key, o);
            if (previous != null && !previous.equals(o)) {
                throw new IllegalArgumentException("two different " + o.kind() + " objects with key '" + key
                        + "': " + previous.render() + " / " + o.render());
            }
            if (previous == null) {
                keys.put(o, key);
            }
        }
        List<DatapathObject> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparing(DatapathObject::kind).thenComparing(keys::get));
        objects = List.copyOf(sorted);
    }

    public static Datapath empty() {
        return new Datapath(List.of());
    }

    public static Datapath of(Collection<? extends DatapathObject> objects) {
        return new Datapath(List.copyOf(objects));
    }

    @SuppressWarnings("unchecked")
    public <T extends DatapathObject> List<T> ofType(Class<T> type) {
        return (List<T>) objects.stream().filter(type::isInstance).toList();
    }

    public List<DatapathObject> ofKind(Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    /** Canonical text: one object per line (iptables chains over several), sorted. */
    public String render() {
        return objects.stream().map(DatapathObject::render).collect(Collectors.joining("\n", "", objects.isEmpty() ? "" : "\n"));
    }
}
