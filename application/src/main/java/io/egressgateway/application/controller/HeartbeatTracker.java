package io.egressgateway.application.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which agents are silent, by the controller's own clock: a Lease counts as renewed when the
 * controller sees its renewTime change, so clock skew between nodes and the controller never evicts
 * anyone (the node lifecycle controller of Kubernetes does the same). A Lease first seen after a
 * controller start gets a full eviction timeout of grace, so a restart moves nothing.
 */
public final class HeartbeatTracker {
    private record Seen(Instant renewTime, Instant observedAt) {
    }

    private final Duration evictionTimeout;
    private final Map<String, Seen> seen = new HashMap<>();
    private Instant startedAt;

    public HeartbeatTracker(Duration evictionTimeout) {
        this.evictionTimeout = evictionTimeout;
    }

    /** Updates what was seen; returns nodes whose Lease has not changed for longer than the timeout. */
    public synchronized Result observe(Map<String, Instant> renewTimes, Set<String> nodes, Instant now) {
        if (startedAt == null) {
            startedAt = now;
        }
        Set<String> stale = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        seen.keySet().retainAll(renewTimes.keySet());
        for (String node : nodes) {
            Instant renew = renewTimes.get(node);
            if (renew == null) {
                // never heard of: an agent not (yet) running; silent once the start grace is over
                if (Duration.between(startedAt, now).compareTo(evictionTimeout) > 0) {
                    missing.add(node);
                }
                continue;
            }
            Seen s = seen.get(node);
            if (s == null || !Objects.equals(s.renewTime(), renew)) {
                s = new Seen(renew, now);
                seen.put(node, s);
            }
            if (Duration.between(s.observedAt(), now).compareTo(evictionTimeout) > 0) {
                stale.add(node);
            }
        }
        return new Result(stale, missing);
    }

    /**
     * {@code stale}: a Lease that stopped changing (phase HeartbeatTimeout); {@code missing}: no Lease at
     * all. Both are silent for the election.
     */
    public record Result(Set<String> stale, Set<String> missing) {
        public Set<String> silent() {
            Set<String> all = new TreeSet<>(stale);
            all.addAll(missing);
            return all;
        }
    }
}
