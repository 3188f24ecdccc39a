package io.egressgateway.domain.alloc;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of one allocation pass: every key that got a value, the conflicts found among
 * existing claims, claims that were unusable, and keys left without a value because the space ran
 * out. Keys in {@code assigned} are sorted, so the result prints the same on every run.
 *
 * @param <V> the allocated value type
 */
public record Allocation<V>(SortedMap<String, V> assigned, List<Conflict> conflicts, List<Invalid> invalid,
                            List<String> exhausted) {

    public Allocation {
        assigned = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(assigned));
        conflicts = List.copyOf(conflicts);
        invalid = List.copyOf(invalid);
        exhausted = List.copyOf(exhausted);
    }

    /**
     * Two or more keys claimed one value: {@code keeper} (the smallest name) keeps it, the
     * {@code losers} were given new values (or are listed as exhausted).
     */
    public record Conflict(String value, String keeper, List<String> losers) {
        public Conflict {
            losers = List.copyOf(losers);
        }

        public String describe() {
            return value + " was claimed by " + keeper + " and " + String.join(", ", losers) + "; " + keeper
                    + " keeps it";
        }
    }

    /** An existing claim that cannot be kept (malformed, outside the space, reserved), and why. */
    public record Invalid(String key, String value, String why) {
    }

    /** True when the claims were clean and every key got a value. */
    public boolean clean() {
        return conflicts.isEmpty() && invalid.isEmpty() && exhausted.isEmpty();
    }
}
