package io.egressgateway.testbed.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents' steady passes taken apart (issue 18): two scrapes of each agent's
 * {@code egressgateway_agent_pass_phase_seconds_total} (docs/metrics.md) and the mean CPU and wall
 * milliseconds per steady pass of each phase between them. CPU is the agent process's CPU time (the
 * read-back's namespace thread, GC and JIT included), the figure that holds under load.
 */
final class PassPhaseTable {
    static final List<String> PHASES = List.of("snapshot", "facts", "observe", "plan", "diff", "apply", "report");
    static final String FAMILY = "egressgateway_agent_pass_phase_seconds_total";

    /** One agent's scrape: steady passes so far and the phase totals. */
    record Scrape(double steady, Map<String, Double> values) {
        static Scrape of(Map<String, Double> metrics) {
            return new Scrape(metrics.getOrDefault("egressgateway_agent_pass_steady_recent", -1.0), metrics);
        }

        double seconds(String clock, String phase) {
            return values.getOrDefault(FAMILY + "{clock=\"" + clock + "\",pass=\"steady\",phase=\"" + phase + "\"}", -1.0);
        }
    }

    /** Mean ms per steady pass of one agent: phase -> {cpu, wall}; empty without the family or passes. */
    static Map<String, double[]> perPass(Scrape before, Scrape after) {
        double n = after.steady() - before.steady();
        Map<String, double[]> out = new LinkedHashMap<>();
        if (n <= 0 || after.seconds("cpu", "plan") < 0) {
            return out;
        }
        for (String p : PHASES) {
            out.put(p, new double[] {(after.seconds("cpu", p) - before.seconds("cpu", p)) * 1e3 / n,
                    (after.seconds("wall", p) - before.seconds("wall", p)) * 1e3 / n});
        }
        return out;
    }

    /** Mean wall-clock ms per steady pass of one agent between the two scrapes (the phases' sum); -1 without data. */
    static double meanWallMs(Scrape before, Scrape after) {
        Map<String, double[]> m = perPass(before, after);
        return m.isEmpty() ? -1 : m.values().stream().mapToDouble(v -> v[1]).sum();
    }

    static Table table(String title, Map<String, Scrape> before, Map<String, Scrape> after) {
        List<String> header = new ArrayList<>(List.of("node", "steady passes"));
        PHASES.forEach(header::add);
        header.add("total");
        Table.Builder t = new Table.Builder(title, header.toArray(String[]::new));
        for (String node : before.keySet()) {
            Map<String, double[]> m = perPass(before.get(node), after.get(node));
            if (m.isEmpty()) {
                continue;
            }
            List<Object> row = new ArrayList<>(List.of(node, (long) (after.get(node).steady() - before.get(node).steady())));
            double cpu = 0;
            double wall = 0;
            for (String p : PHASES) {
                row.add(String.format("%.1f / %.1f", m.get(p)[0], m.get(p)[1]));
                cpu += m.get(p)[0];
                wall += m.get(p)[1];
            }
            row.add(String.format("%.1f / %.1f", cpu, wall));
            t.row(row.toArray());
        }
        t.note("mean ms per steady pass, process CPU / wall clock, from convergence to the end (the agents'"
                + " egressgateway_agent_pass_phase_seconds_total); report = building and queueing the EgressNode"
                + " report (its write runs on its own thread)");
        return t.build();
    }
}
