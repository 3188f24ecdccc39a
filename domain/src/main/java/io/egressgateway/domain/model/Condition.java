package io.egressgateway.domain.model;

import java.time.Instant;

/**
 * A {@code metav1.Condition}. {@code lastTransitionTime} changes only when {@code status} changes;
 * callers pass the clock's time in, so decisions stay pure.
 */
public record Condition(String type, Status status, String reason, String message, long observedGeneration,
                        Instant lastTransitionTime) {
    public enum Status { True, False, Unknown }

    /**
     * A condition whose transition time stays that of the same type in {@code previous} while its
     * status is unchanged, and is {@code now} when the status flips (or the type is new).
     */
    public static Condition of(String type, boolean status, String reason, String message, long generation,
                               java.util.List<Condition> previous, Instant now) {
        Status s = status ? Status.True : Status.False;
        Instant since = now;
        if (previous != null) {
            for (Condition c : previous) {
                if (c.type().equals(type) && c.status() == s && c.lastTransitionTime() != null) {
                    since = c.lastTransitionTime();
                }
            }
        }
        return new Condition(type, s, reason, message, generation, since);
    }

    /** Same meaning, ignoring the transition time: used to skip no-op status writes. */
    public boolean sameAs(Condition other) {
        return other != null && type.equals(other.type) && status == other.status && reason.equals(other.reason)
                && message.equals(other.message) && observedGeneration == other.observedGeneration;
    }
}
