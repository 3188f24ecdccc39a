package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which gateways a node's connections are pinned to, read from a datapath, and which of those pins
 * a change of datapath drops: the connections of a lost gateway, whose conntrack entries the agent
 * deletes (docs/datapath.md, "Established flows keep their path").
 *
 * <p>The criterion is the pin itself, not the ip rule: MARK-REQUEST restores a connection's pin only
 * while its gateway is valid (a Ready gateway node this node reaches, an active-active gateway with a
 * next hop), and a pin that stops being restored is a lost gateway's. Its ip rule may stay: a gateway
 * node keeps a table for every peer (the reply path), so a peer that stops being a Ready gateway
 * node but remains a peer keeps its rule there. The base mark (a claim: this node itself is the
 * gateway) is never lost, and nor is the fail-closed mark (never restored in the first place).
 *
 * <p>Both datapaths may be observed ones: a restore rule is recognised by its hash, which observation
 * reads back from the rule's comment, so an agent that restarts after its gateway died still finds
 * the pins its old rule set restored. Candidate marks are those of the ip rules in either datapath.
 */
public final class PinnedMarks {
    private PinnedMarks() {
    }

    /** Pins {@code before} restores and {@code after} does not, sorted by family and mark. */
    public static List<ConnectionPin> lost(PlannerSettings settings, Datapath before, Datapath after) {
        MarkLayout m = MarkLayout.of(settings);
        List<ConnectionPin> out = new ArrayList<>();
        for (Family f : Family.values()) {
            Set<String> was = restoreHashes(before, f);
            if (was.isEmpty()) {
                continue;
            }
            Set<String> is = restoreHashes(after, f);
            for (long mark : candidates(m, f, before, after)) {
                String hash = IptablesPlanner.restorePin(m, mark).hash();
                String legacy = IptablesPlanner.legacyRestorePin(m, mark).hash();
                if ((was.contains(hash) || was.contains(legacy)) && !is.contains(hash) && !is.contains(legacy)) {
                    out.add(new ConnectionPin(f, mark, m.owned()));
                }
            }
        }
        return out;
    }

    /** True when {@code d} restores connections pinned to {@code pin}'s mark (its gateway is valid there). */
    public static boolean restores(PlannerSettings settings, Datapath d, ConnectionPin pin) {
        MarkLayout m = MarkLayout.of(settings);
        Set<String> hashes = restoreHashes(d, pin.family());
        return hashes.contains(IptablesPlanner.restorePin(m, pin.mark()).hash())
                || hashes.contains(IptablesPlanner.legacyRestorePin(m, pin.mark()).hash());
    }

    private static Set<String> restoreHashes(Datapath d, Family f) {
        Set<String> hashes = new TreeSet<>();
        for (IptablesChain c : d.ofType(IptablesChain.class)) {
            if (c.family() == f && c.table().equals("mangle") && c.chain().equals(IptablesPlanner.MARK_REQUEST)) {
                hashes.addAll(c.hashes());
            }
        }
        return hashes;
    }

    private static SortedSet<Long> candidates(MarkLayout m, Family f, Datapath before, Datapath after) {
        SortedSet<Long> marks = new TreeSet<>();
        for (Datapath d : List.of(before, after)) {
            for (RouteRule r : d.ofType(RouteRule.class)) {
                // only values a request pin can hold: the base class with id bits inside the owned bits
                if (r.family() == f && (r.mark() & m.mask()) == m.base() && (r.mark() & ~m.owned() & MarkLayout.ALL) == 0
                        && r.mark() != m.base()) {
                    marks.add(r.mark());
                }
            }
        }
        return marks;
    }
}
