package io.egressgateway.domain.election;

import io.egressgateway.domain.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where things go, given the Ready nodes. Sticky first: a group of EIPs stays on the Ready node
 * that carried it (the one that carried most of its addresses, then the smaller name), and a
 * NodeIP/None policy stays on its Ready node. Then everything else, one at a time in a fixed
 * order, goes to the least-loaded Ready node (EIP groups by EIP groups carried, then policies;
 * policies by policies carried), ties broken by name; loads are updated after each choice, so
 * the EIPs of a failed node are spread over the survivors instead of piled onto one. Only nodes
 * whose agent has proven alive get something new; an unproven node keeps what it had.
 */
final class Placement {
    private final List<String> ready;
    private final List<String> eligible;
    private final Map<String, Integer> groupLoad = new HashMap<>();
    private final Map<String, Integer> policyLoad = new HashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** A set of EIPs that must live on one node (linked through policies using them), and their policies. */
    record Group(String key, SortedSet<IpAddress> ips, SortedSet<String> policies) {
    }

    Placement(List<String> readySorted) {
        this(readySorted, java.util.Set.of());
    }

    /** {@code unproven}: Ready nodes that keep what they carry but get nothing new. */
    Placement(List<String> readySorted, java.util.Set<String> unproven) {
        this.ready = List.copyOf(readySorted);
        this.eligible = ready.stream().filter(n -> !unproven.contains(n)).toList();
        for (String n : ready) {
            groupLoad.put(n, 0);
            policyLoad.put(n, 0);
        }
    }

    List<String> notes() {
        return notes;
    }

    /** Places every group; groups must be sorted by key. Returns group key to node (absent when no node is Ready). */
    Map<String, String> placeGroups(List<Group> groups, Map<IpAddress, SortedSet<String>> previousNodes) {
        Map<String, String> out = new TreeMap<>();
        if (ready.isEmpty()) {
            return out;
        }
        for (Group g : groups) {
            Map<String, Integer> votes = new TreeMap<>();
            for (IpAddress ip : g.ips()) {
                SortedSet<String> had = previousNodes.getOrDefault(ip, new TreeSet<>());
                if (had.size() > 1) {
                    notes.add("EIP " + ip.text() + " was placed on " + String.join(", ", had) + " at once");
                }
                for (String n : had) {
                    if (groupLoad.containsKey(n)) {
                        votes.merge(n, 1, Integer::sum);
                    }
                }
            }
            String best = null;
            for (Map.Entry<String, Integer> v : votes.entrySet()) {
                if (best == null || v.getValue() > votes.get(best)) {
                    best = v.getKey();
                }
            }
            if (best != null) {
                put(out, g, best);
            }
        }
        for (Group g : groups) {
            if (!out.containsKey(g.key())) {
                String best = null;
                for (String n : eligible) {
                    if (best == null || load(n) < load(best)) {
                        best = n;
                    }
                }
                if (best != null) {
                    put(out, g, best);
                }
            }
        }
        return out;
    }

    private long load(String node) {
        return ((long) groupLoad.get(node) << 32) | policyLoad.get(node);
    }

    private void put(Map<String, String> out, Group g, String node) {
        out.put(g.key(), node);
        groupLoad.merge(node, 1, Integer::sum);
        policyLoad.merge(node, g.policies().size(), Integer::sum);
    }

    /**
     * One node per policy (active-passive NodeIP/None): kept while Ready, else the Ready node
     * carrying the fewest policies. {@code previous} maps policy to its previous node.
     */
    Map<String, String> placePolicies(SortedSet<String> policies, Map<String, String> previous) {
        Map<String, String> out = new TreeMap<>();
        if (ready.isEmpty()) {
            return out;
        }
        for (String p : policies) {
            String prev = previous.get(p);
            if (prev != null && policyLoad.containsKey(prev)) {
                out.put(p, prev);
                policyLoad.merge(prev, 1, Integer::sum);
            }
        }
        for (String p : policies) {
            if (!out.containsKey(p)) {
                String best = null;
                for (String n : eligible) {
                    if (best == null || policyLoad.get(n) < policyLoad.get(best)) {
                        best = n;
                    }
                }
                if (best != null) {
                    out.put(p, best);
                    policyLoad.merge(best, 1, Integer::sum);
                }
            }
        }
        return out;
    }
}
