package io.egressgateway.testbed.netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of the machine's own (root) network namespace: links, addresses, routes, rules,
 * iptables rules of both backends and ipsets. {@link #assertUnchanged()} compares a fresh snapshot
 * with the one taken at construction, so a test proves that the testbed and the agents touched
 * only their own namespaces. Counters, lifetimes and timestamps are left out: they change by themselves.
 */
public final class RootNamespaceGuard {
    private static final Map<String, List<String>> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("links", List.of("ip", "-o", "link", "show"));
        SOURCES.put("addresses", List.of("ip", "-br", "address", "show"));
        SOURCES.put("routes v4", List.of("ip", "-4", "route", "show", "table", "all"));
        SOURCES.put("routes v6", List.of("ip", "-6", "route", "show", "table", "all"));
        SOURCES.put("rules v4", List.of("ip", "-4", "rule", "show"));
        SOURCES.put("rules v6", List.of("ip", "-6", "rule", "show"));
        SOURCES.put("iptables nft", List.of("iptables-nft-save"));
        SOURCES.put("ip6tables nft", List.of("ip6tables-nft-save"));
        SOURCES.put("iptables legacy", List.of("iptables-legacy-save"));
        SOURCES.put("ip6tables legacy", List.of("ip6tables-legacy-save"));
        SOURCES.put("ipsets", List.of("ipset", "save"));
    }

    private final Map<String, List<String>> before;

    private RootNamespaceGuard(Map<String, List<String>> before) {
        this.before = before;
    }

    /** Takes the snapshot now. Must run on a thread in the root namespace (any thread not made by {@link NetnsThread}). */
    public static RootNamespaceGuard snapshot() {
        return new RootNamespaceGuard(take());
    }

    /** Each section that differs, with the lines that appeared (+) and disappeared (-); empty when unchanged. */
    public List<String> differences() {
        Map<String, List<String>> now = take();
        List<String> diffs = new ArrayList<>();
        for (String section : SOURCES.keySet()) {
            Set<String> was = new LinkedHashSet<>(before.get(section));
            Set<String> is = new LinkedHashSet<>(now.get(section));
            List<String> lines = new ArrayList<>();
            is.stream().filter(l -> !was.contains(l)).forEach(l -> lines.add("  + " + l));
            was.stream().filter(l -> !is.contains(l)).forEach(l -> lines.add("  - " + l));
            if (!lines.isEmpty()) {
                diffs.add(section + ":\n" + String.join("\n", lines));
            }
        }
        return diffs;
    }

    /** Throws {@link AssertionError} listing what changed in the root namespace since the snapshot. */
    public void assertUnchanged() {
        List<String> diffs = differences();
        if (!diffs.isEmpty()) {
            throw new AssertionError("the root network namespace changed during the run:\n" + String.join("\n", diffs));
        }
    }

    private static Map<String, List<String>> take() {
        Map<String, List<String>> snap = new LinkedHashMap<>();
        SOURCES.forEach((section, argv) -> snap.put(section, normalise(
                ProcessRunner.tryRun(argv, Duration.ofSeconds(20)))));
        return snap;
    }

    private static List<String> normalise(ProcessRunner.Result r) {
        if (!r.ok()) {
            // A missing tool (e.g. no legacy backend) is recorded as such and compared like any other output.
            return List.of("<" + r.argv().get(0) + " exit " + r.exitCode() + ">");
        }
        List<String> lines = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            l = l.replaceAll("\\[\\d+:\\d+]", "[-]")
                    .replaceAll("(expires|valid_lft|preferred_lft) \\S+", "$1 -")
                    .replaceAll("\\s+", " ");
            lines.add(l);
        }
        return lines;
    }
}
