package io.egressgateway.domain.model;

import java.time.Instant;

/**
 * A {@code metav1.Condition}. {@code lastTransitionTime} changes only when {@code status} changes;
 * callers pass the clock's time in, so decisions stay pure.
 */
public record Condition(String type, Status status, String reason, String message, long observedGeneration,
                        Instant lastTransitionTime) {
    public enum Status { True, False, Unknown }

    /** Same meaning, ignoring the transition time: used to skip no-op status writes. */
    public boolean sameAs(Condition other) {
        return other != null && type.equals(other.type) && status == other.status && reason.equals(other.reason)
                && message.equals(other.message) && observedGeneration == other.observedGeneration;
    }
}
