package io.egressgateway.application.controller;

import io.egressgateway.domain.model.Condition;
import java.time.Instant;
import java.util.List;

/** Conditions whose transition time moves only when their status flips. */
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
