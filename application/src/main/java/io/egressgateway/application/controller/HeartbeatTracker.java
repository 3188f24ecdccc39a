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
 *
 * <p>Gateway candidates (nodes some EgressGateway's nodeSelector matches) renew every
 * {@code gatewayInterval} and are judged against {@code evictionTimeout}; every other node renews
 * every {@code interval} (api.md), so it is silent only after {@code interval + evictionTimeout}:
 * judging it by the gateway timeout marked every such node HeartbeatTimeout for half of every
 * interval, and its peers dropped its tunnel entries each time. A node that just became a
 * candidate still renews on the slow schedule until its agent hears of it, so its gateway clock
 * starts no earlier than the moment it became one.
 */
public final class HeartbeatTracker {
    private record Seen(Instant renewTime, Instant observedAt) {
    }

    private final Duration evictionTimeout;
    private final Duration slowInterval;
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, Instant> candidateSince = new HashMap<>();
    private Instant startedAt;

    /** {@code slowInterval}: how often nodes that are no gateway candidate renew ({@code heartbeat.interval}). */
    public HeartbeatTracker(Duration evictionTimeout, Duration slowInterval) {
        this.evictionTimeout = evictionTimeout;
        this.slowInterval = slowInterval;
    }

    /** How long {@code node}'s Lease may stay unchanged: shorter for a gateway candidate. */
    public synchronized Duration limit(String node) {
        return candidateSince.containsKey(node) ? evictionTimeout : slowInterval.plus(evictionTimeout);
    }

    /**
     * Updates what was seen; returns the nodes whose Lease has not changed for longer than their
     * limit. {@code candidates}: the nodes some gateway's nodeSelector matches.
     */
    public synchronized Result observe(Map<String, Instant> renewTimes, Set<String> nodes, Set<String> candidates,
                                       Instant now) {
        if (startedAt == null) {
            startedAt = now;
        }
        candidateSince.keySet().retainAll(candidates);
        candidates.forEach(c -> candidateSince.putIfAbsent(c, now));
        Set<String> stale = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        seen.keySet().retainAll(renewTimes.keySet());
        for (String node : nodes) {
            Duration limit = limit(node);
            Instant renew = renewTimes.get(node);
            if (renew == null) {
                // never heard of: an agent not (yet) running; silent once the start grace is over
                if (Duration.between(startedAt, now).compareTo(limit) > 0) {
                    missing.add(node);
                }
                continue;
            }
            Seen s = seen.get(node);
            if (s == null || !Objects.equals(s.renewTime(), renew)) {
                s = new Seen(renew, now);
                seen.put(node, s);
            }
            Instant since = s.observedAt();
            Instant became = candidateSince.get(node);
            if (became != null && became.isAfter(since)) {
                since = became;
            }
            if (Duration.between(since, now).compareTo(limit) > 0) {
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
