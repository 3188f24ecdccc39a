package io.egressgateway.domain.select;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cuts a policy's endpoints into slices of at most {@code max}, with minimal churn: a pod stays in
 * the slice that already lists it (its entry is refreshed in place), pods that are gone are
 * dropped, and new pods fill the existing slices with room (in slice-name order) before new
 * slices are made. A slice left empty is deleted. Endpoints inside a slice are sorted by
 * namespace and pod, so an unchanged slice compares equal and is not rewritten.
 */
public final class EndpointSlicer {
    private static final Comparator<Endpoint> ORDER = Comparator.comparing(Endpoint::namespace).thenComparing(Endpoint::pod);

    private EndpointSlicer() {
    }

    /**
     * What to write: {@code create} has slices without a name (the API server generates it from
     * {@code <policy>-}), {@code update} slices whose contents changed, {@code delete} names of
     * slices to remove, {@code unchanged} names of slices to leave alone.
     */
    public record SlicePlan(List<EndpointSlice> create, List<EndpointSlice> update, List<String> delete,
                            List<String> unchanged) {
        public SlicePlan {
            create = List.copyOf(create);
            update = List.copyOf(update);
            delete = List.copyOf(delete);
            unchanged = List.copyOf(unchanged);
        }

        /** Every slice as it should be afterwards (existing ones first, by name). */
        public List<EndpointSlice> desired(List<EndpointSlice> existing) {
            Map<String, EndpointSlice> byName = new TreeMap<>();
            existing.stream().filter(s -> unchanged.contains(s.name())).forEach(s -> byName.put(s.name(), s));
            update.forEach(s -> byName.put(s.name(), s));
            List<EndpointSlice> out = new ArrayList<>(byName.values());
            out.addAll(create);
            return out;
        }
    }

    public static SlicePlan plan(String policy, List<Endpoint> endpoints, List<EndpointSlice> existing, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxEndpointsPerSlice must be at least 1, got " + max);
        }
        Map<String, Endpoint> wanted = new TreeMap<>();
        endpoints.forEach(e -> wanted.put(key(e), e));
        List<EndpointSlice> sorted = new ArrayList<>(existing);
        sorted.sort(Comparator.comparing(EndpointSlice::name));
        Set<String> placed = new HashSet<>();
        Map<String, List<Endpoint>> contents = new LinkedHashMap<>();
        for (EndpointSlice s : sorted) {
            List<Endpoint> kept = new ArrayList<>();
            List<Endpoint> old = new ArrayList<>(s.endpoints());
            old.sort(ORDER);
            for (Endpoint e : old) {
                String k = key(e);
                if (kept.size() < max && wanted.containsKey(k) && placed.add(k)) {
                    kept.add(wanted.get(k));
                }
            }
            contents.put(s.name(), kept);
        }
        List<Endpoint> rest = wanted.entrySet().stream().filter(e -> !placed.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        int next = 0;
        for (List<Endpoint> kept : contents.values()) {
            while (kept.size() < max && next < rest.size()) {
                kept.add(rest.get(next++));
            }
        }
        List<EndpointSlice> create = new ArrayList<>();
        while (next < rest.size()) {
            int end = Math.min(rest.size(), next + max);
            create.add(new EndpointSlice(null, policy, sortedCopy(rest.subList(next, end))));
            next = end;
        }
        List<EndpointSlice> update = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (EndpointSlice s : sorted) {
            List<Endpoint> now = sortedCopy(contents.get(s.name()));
            if (now.isEmpty()) {
                delete.add(s.name());
            } else if (now.equals(sortedCopy(s.endpoints())) && policy.equals(s.policy())) {
                unchanged.add(s.name());
            } else {
                update.add(new EndpointSlice(s.name(), policy, now));
            }
        }
        return new SlicePlan(create, update, delete, unchanged);
    }

    private static List<Endpoint> sortedCopy(List<Endpoint> l) {
        List<Endpoint> out = new ArrayList<>(l);
        out.sort(ORDER);
        return out;
    }

    private static String key(Endpoint e) {
        return e.namespace() + "/" + e.pod();
    }
}
