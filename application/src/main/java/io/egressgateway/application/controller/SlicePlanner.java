package io.egressgateway.application.controller;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a policy's wanted endpoints and its existing slices into the fewest writes. Like the
 * Kubernetes EndpointSlice controller, a pod stays in the slice that holds it (its entry updated in
 * place when its IPs or node change), so one pod's churn rewrites one slice, not all of them; new
 * pods fill the slices with room first (fullest first, then by name), then new slices; emptied
 * slices are deleted. Pure: the same input gives the same ops.
 */
public final class SlicePlanner {
    private SlicePlanner() {
    }

    public sealed interface Op permits Create, Update, Delete {
    }

    public record Create(List<Endpoint> endpoints) implements Op {
    }

    public record Update(String slice, List<Endpoint> endpoints) implements Op {
    }

    public record Delete(String slice) implements Op {
    }

    public static List<Op> plan(List<EndpointSlice> existing, List<Endpoint> wanted, int maxPerSlice) {
        if (maxPerSlice < 1) {
            throw new IllegalArgumentException("maxEndpointsPerSlice must be at least 1, was " + maxPerSlice);
        }
        Map<String, Endpoint> want = new LinkedHashMap<>();
        wanted.forEach(e -> want.put(key(e), e));
        List<EndpointSlice> slices = existing.stream().sorted(Comparator.comparing(EndpointSlice::name)).toList();
        Map<String, List<Endpoint>> next = new LinkedHashMap<>();
        Map<String, String> placed = new HashMap<>();
        for (EndpointSlice s : slices) {
            List<Endpoint> keep = new ArrayList<>();
            for (Endpoint e : s.endpoints()) {
                String k = key(e);
                Endpoint w = want.get(k);
                if (w != null && !placed.containsKey(k) && keep.size() < maxPerSlice) {
                    keep.add(w);
                    placed.put(k, s.name());
                }
            }
            next.put(s.name(), keep);
        }
        List<Endpoint> unplaced = want.entrySet().stream().filter(e -> !placed.containsKey(e.getKey()))
                .map(Map.Entry::getValue).toList();
        int i = 0;
        List<String> byRoom = new ArrayList<>(next.keySet());
        byRoom.sort(Comparator.comparing((String n) -> -next.get(n).size()).thenComparing(n -> n));
        for (String name : byRoom) {
            List<Endpoint> l = next.get(name);
            if (l.isEmpty()) {
                continue; // an emptied slice is deleted rather than refilled, keeping writes to the churned ones
            }
            while (l.size() < maxPerSlice && i < unplaced.size()) {
                l.add(unplaced.get(i++));
            }
        }
        List<Op> ops = new ArrayList<>();
        for (EndpointSlice s : slices) {
            List<Endpoint> l = next.get(s.name());
            if (l.isEmpty()) {
                if (i < unplaced.size()) {
                    // reuse the slice instead of delete + create
                    while (l.size() < maxPerSlice && i < unplaced.size()) {
                        l.add(unplaced.get(i++));
                    }
                    ops.add(new Update(s.name(), l));
                } else {
                    ops.add(new Delete(s.name()));
                }
            } else if (!l.equals(s.endpoints())) {
                ops.add(new Update(s.name(), l));
            }
        }
        while (i < unplaced.size()) {
            int end = Math.min(unplaced.size(), i + maxPerSlice);
            ops.add(new Create(List.copyOf(unplaced.subList(i, end))));
            i = end;
        }
        return ops;
    }

    private static String key(Endpoint e) {
        return e.namespace() + "/" + e.pod();
    }
}
