package io.egressgateway.domain.alloc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one algorithm behind every unique allocator: keep valid existing claims, resolve duplicate
 * claims in favour of the smallest key, then give every key without a value the next free one, in
 * key order. Keys without a claim and losers of a conflict are treated alike.
 */
final class Claims {
    private Claims() {
    }

    /**
     * @param keys     who needs a value; claims of other keys are forgotten (their values become free)
     * @param claimed  existing claims as text, possibly malformed
     * @param parse    text to value, or an error text ({@code Optional.empty()} value means "why" is given)
     * @param nextFree for a key, a free value given the values in use, or empty when none is left
     */
    static <V extends Comparable<V>> Allocation<V> resolve(Collection<String> keys, Map<String, String> claimed,
                                     Function<String, Result<V>> parse,
                                     BiFunction<String, NavigableSet<V>, Optional<V>> nextFree,
                                     Function<V, String> render) {
        TreeSet<String> sorted = new TreeSet<>(keys);
        SortedMap<String, V> assigned = new TreeMap<>();
        List<Allocation.Invalid> invalid = new ArrayList<>();
        Map<V, String> owner = new java.util.HashMap<>();
        Map<V, List<String>> losers = new java.util.LinkedHashMap<>();
        for (String key : sorted) {
            String text = claimed.get(key);
            if (text == null || text.isEmpty()) {
                continue;
            }
            Result<V> r = parse.apply(text);
            if (r.value() == null) {
                invalid.add(new Allocation.Invalid(key, text, r.why()));
                continue;
            }
            String first = owner.putIfAbsent(r.value(), key);
            if (first == null) {
                assigned.put(key, r.value());
            } else {
                losers.computeIfAbsent(r.value(), v -> new ArrayList<>()).add(key);
            }
        }
        List<Allocation.Conflict> conflicts = new ArrayList<>();
        losers.forEach((v, ls) -> conflicts.add(new Allocation.Conflict(render.apply(v), owner.get(v), ls)));
        NavigableSet<V> used = new TreeSet<>(assigned.values());
        List<String> exhausted = new ArrayList<>();
        for (String key : sorted) {
            if (assigned.containsKey(key)) {
                continue;
            }
            Optional<V> v = nextFree.apply(key, used);
            if (v.isPresent()) {
                assigned.put(key, v.get());
                used.add(v.get());
            } else {
                exhausted.add(key);
            }
        }
        return new Allocation<>(assigned, conflicts, invalid, exhausted);
    }

    /** A parsed claim: a value, or why the text cannot be kept. */
    record Result<V>(V value, String why) {
        static <V> Result<V> ok(V value) {
            return new Result<>(value, null);
        }

        static <V> Result<V> bad(String why) {
            return new Result<>(null, why);
        }
    }
}
