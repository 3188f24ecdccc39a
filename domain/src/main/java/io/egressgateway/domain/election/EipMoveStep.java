package io.egressgateway.domain.election;

import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.move.EipMoveRequest;
import io.egressgateway.domain.move.EipMoveRules;
import io.egressgateway.domain.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One election's part of a requested EIP move (annotation {@value EipMoveRequest#ANNOTATION}), fenced
 * as a failover is: first the EIP's group is placed on no node ({@code Releasing}: the old node stops
 * claiming, SNATing and answering ARP/NDP; sources hold the policy's packets), and only once the
 * old node has had {@code moveSettle} (the eviction timeout, within which even an agent cut off from
 * the API server has fenced itself) is it placed on the new node ({@code Moved}). The phase and its
 * start live in the gateway's {@value EipMoveRequest#CONDITION} condition, whose message starts with
 * the request text; a request acknowledged {@code Moved} or {@code Refused} is not acted on again.
 */
final class EipMoveStep {
    static final String RELEASING = "Releasing";
    static final String MOVED = "Moved";
    static final String REFUSED = "Refused";

    private final Placement.Group group;
    private final String target;
    private final boolean release;
    private final Condition condition;

    private EipMoveStep(Placement.Group group, String target, boolean release, Condition condition) {
        this.group = group;
        this.target = target;
        this.release = release;
        this.condition = condition;
    }

    static EipMoveStep of(ElectionInput in, List<Placement.Group> groups, Map<String, NodeReadiness> readiness) {
        EipMoveRequest req = in.move();
        if (req == null) {
            return new EipMoveStep(null, null, false, null);
        }
        Gateway gw = in.gateway();
        long gen = gw.generation();
        Condition prev = gw.status() == null ? null : gw.status().conditions().stream()
                .filter(c -> c.type().equals(EipMoveRequest.CONDITION)).findFirst().orElse(null);
        boolean same = prev != null && prev.message().startsWith(req.ackPrefix());
        if (same && !prev.reason().equals(RELEASING)) {
            return new EipMoveStep(null, null, false, prev);
        }
        boolean releasing = same;
        Placement.Group g = groups.stream().filter(x -> x.ips().contains(req.eip())).findFirst().orElse(null);
        Optional<String> notEligible = eligibility(req, readiness, in.unproven(), gw.name());
        if (g == null || notEligible.isPresent()) {
            String why = g == null ? "EIP " + req.eip().text() + " is used by no policy of gateway " + gw.name()
                    : notEligible.get();
            return new EipMoveStep(null, null, false, new Condition(EipMoveRequest.CONDITION, Condition.Status.False,
                    REFUSED, req.ackPrefix() + (releasing ? "stopped while releasing: " : "") + why, gen, in.now()));
        }
        String from = EipMoveRules.carrier(gw, req.eip()).orElse(null);
        if (!releasing && req.node().equals(from)) {
            return new EipMoveStep(g, req.node(), false, new Condition(EipMoveRequest.CONDITION, Condition.Status.True,
                    MOVED, req.ackPrefix() + "EIP " + req.eip().text() + " is already on node " + req.node(), gen, in.now()));
        }
        Instant since = releasing ? prev.lastTransitionTime() : in.now();
        // a condition time is stored in whole seconds: one more second so the settle is never cut short
        if (since != null && !in.now().isBefore(since.plus(in.moveSettle()).plusSeconds(1))) {
            return new EipMoveStep(g, req.node(), false, new Condition(EipMoveRequest.CONDITION, Condition.Status.True,
                    MOVED, req.ackPrefix() + "EIP " + eips(g) + " moved to node " + req.node(), gen, in.now()));
        }
        String msg = releasing ? prev.message() : req.ackPrefix() + "releasing EIP " + eips(g) + " from node "
                + (from == null ? "(none)" : from) + "; it is placed on node " + req.node() + " "
                + in.moveSettle().toMillis() + " ms later, once the old node has stopped answering";
        return new EipMoveStep(g, req.node(), true, new Condition(EipMoveRequest.CONDITION, Condition.Status.False,
                RELEASING, msg, gen, since == null ? in.now() : since));
    }

    private static Optional<String> eligibility(EipMoveRequest req, Map<String, NodeReadiness> readiness,
                                                java.util.Set<String> unproven, String gateway) {
        NodeReadiness r = readiness.get(req.node());
        if (r == null) {
            return Optional.of("node " + req.node() + " is not a node of gateway " + gateway
                    + " (its spec.nodeSelector does not select it)");
        }
        if (r != NodeReadiness.Ready) {
            return Optional.of("node " + req.node() + " is " + r + ": only a Ready node can take an EIP");
        }
        if (unproven.contains(req.node())) {
            return Optional.of("node " + req.node() + "'s agent has not renewed its heartbeat yet");
        }
        return Optional.empty();
    }

    private static String eips(Placement.Group g) {
        return String.join(",", g.ips().stream().map(IpAddress::text).toList());
    }

    /** The previous placements with the moving group's addresses on the target: sticky placement keeps it there. */
    Map<IpAddress, SortedSet<String>> steer(Map<IpAddress, SortedSet<String>> previous) {
        if (group == null) {
            return previous;
        }
        Map<IpAddress, SortedSet<String>> out = new HashMap<>(previous);
        for (IpAddress ip : group.ips()) {
            out.put(ip, new TreeSet<>(List.of(target)));
        }
        return out;
    }

    /** While releasing, the group is on no node. */
    void release(Map<String, String> groupNode) {
        if (release) {
            groupNode.remove(group.key());
        }
    }

    /** The policies held while their EIP is released, else empty. */
    SortedSet<String> held() {
        return release ? group.policies() : new TreeSet<>();
    }

    Optional<Condition> condition() {
        return Optional.ofNullable(condition);
    }
}
