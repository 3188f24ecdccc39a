package io.egressgateway.domain.election;

import io.egressgateway.domain.model.Condition;
import java.time.Instant;
import java.util.List;

/** Builds conditions that keep their transition time while their status stays the same. */
final class Conditions {
    private Conditions() {
    }

    static Condition of(String type, boolean status, String reason, String message, long generation,
                        List<Condition> previous, Instant now) {
        Condition.Status s = status ? Condition.Status.True : Condition.Status.False;
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
}
