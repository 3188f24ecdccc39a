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
 *
 * <p>Not silent is not the same as alive: a node with no Lease at all inside the start grace has an
 * agent that has not renewed once (its JVM may still be starting). Such a node is {@code unproven}:
 * not judged yet, and not chosen either; the election places nothing new on it (it keeps what it
 * carries), so a fresh start never places an EIP on a node whose agent then turns out to be absent
 * and moves it again. The grace for a missing Lease is {@code interval + evictionTimeout} for every
 * node: an agent's first renewal may take most of the eviction timeout after its process started.
 */
public final class HeartbeatTracker {
    private record Seen(Instant renewTime, Instant observedAt) {
    }

    private final Duration evictionTimeout;
    private final Duration slowInterval;
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, Instant> candidateSince = new HashMap<>();
    private Set<String> restarting = Set.of();
    private Instant startedAt;

    /** {@code slowInterval}: how often nodes that are no gateway candidate renew ({@code heartbeat.interval}). */
    public HeartbeatTracker(Duration evictionTimeout, Duration slowInterval) {
        this.evictionTimeout = evictionTimeout;
        this.slowInterval = slowInterval;
    }

    /** How long {@code node}'s Lease may stay unchanged: shorter for a gateway candidate. */
    public synchronized Duration limit(String node) {
        return candidateSince.containsKey(node) && !restarting.contains(node) ? evictionTimeout
                : slowInterval.plus(evictionTimeout);
    }

    /**
     * Updates what was seen; returns the nodes whose Lease has not changed for longer than their
     * limit. {@code candidates}: the nodes some gateway's nodeSelector matches.
     */
    public synchronized Result observe(Map<String, Instant> renewTimes, Set<String> nodes, Set<String> candidates,
                                       Instant now) {
        return observe(renewTimes, Set.of(), nodes, candidates, now);
    }

    /**
     * As above; {@code restarting}: nodes whose stopping agent marked its last renewal "restarting" (a
     * rolling upgrade): judged by the slow limit until the next renewal clears the mark, so a restart
     * that takes longer than {@code evictionTimeout} is no failover. Bounded: an agent that never
     * comes back is silent after {@code interval + evictionTimeout}.
     */
    public synchronized Result observe(Map<String, Instant> renewTimes, Set<String> restarting, Set<String> nodes,
                                       Set<String> candidates, Instant now) {
        this.restarting = Set.copyOf(restarting);
        if (startedAt == null) {
            startedAt = now;
        }
        candidateSince.keySet().retainAll(candidates);
        candidates.forEach(c -> candidateSince.putIfAbsent(c, now));
        Set<String> stale = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        Set<String> unproven = new TreeSet<>();
        seen.keySet().retainAll(renewTimes.keySet());
        for (String node : nodes) {
            Duration limit = limit(node);
            Instant renew = renewTimes.get(node);
            if (renew == null) {
                // never heard of: an agent not (yet) running; silent once the start grace is over. The grace
                // is the slow limit for every node: a gateway agent's JVM may take most of evictionTimeout
                // to its first renewal, and judging it by that alone made fresh starts flap
                if (Duration.between(startedAt, now).compareTo(slowInterval.plus(evictionTimeout)) > 0) {
                    missing.add(node);
                } else {
                    unproven.add(node);
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
        return new Result(stale, missing, unproven);
    }

    /**
     * {@code stale}: a Lease that stopped changing (phase HeartbeatTimeout); {@code missing}: no Lease at
     * all after the start grace. Both are silent for the election. {@code unproven}: no Lease yet, inside
     * the start grace: not silent, but nothing new is placed there.
     */
    public record Result(Set<String> stale, Set<String> missing, Set<String> unproven) {
        public Result(Set<String> stale, Set<String> missing) {
            this(stale, missing, Set.of());
        }

        public Set<String> silent() {
            Set<String> all = new TreeSet<>(stale);
            all.addAll(missing);
            return all;
        }
    }
}
