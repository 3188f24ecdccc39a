package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.cluster.EgressCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the controller's time went between two scrapes of its {@code /metrics}: every
 * {@code egressgateway_controller_*_seconds} histogram (queue wait, pass duration, writes by kind),
 * as the difference of the two (so a scenario's own events, not the setup's). A histogram only gives
 * bucket bounds: a quantile is the upper bound of the bucket it falls in.
 */
final class ControllerTimes {
    private static final String PREFIX = "egressgateway_controller_";

    /** Series name (with labels, without {@code le}) -> bucket upper bound -> cumulative count; plus sums. */
    record Snapshot(Map<String, TreeMap<Double, Double>> buckets, Map<String, Double> sums) {
    }

    private ControllerTimes() {
    }

    /** Empty (not an error) when the controller does not answer: the figures are extra. */
    static Snapshot scrape(EgressCluster cluster) {
        try {
            return parse(cluster.controllerMetrics());
        } catch (RuntimeException e) {
            return new Snapshot(Map.of(), Map.of());
        }
    }

    static Snapshot parse(String text) {
        Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
        Map<String, Double> sums = new TreeMap<>();
        for (String line : text.lines().toList()) {
            if (!line.startsWith(PREFIX) || !line.contains("_seconds")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            String series = line.substring(0, sp);
            double value = Double.parseDouble(line.substring(sp + 1));
            if (series.contains("_seconds_bucket")) {
                int le = series.indexOf("le=\"");
                int end = series.indexOf('"', le + 4);
                String bound = series.substring(le + 4, end);
                String labels = (series.substring(series.indexOf('{') + 1, le) + series.substring(end + 1,
                        series.length() - 1)).replaceAll("^,|,$", "");
                String name = series.substring(0, series.indexOf("_bucket")) + (labels.isEmpty() ? "" : "{" + labels + "}");
                buckets.computeIfAbsent(name, k -> new TreeMap<>()).put(bound.equals("+Inf")
                        ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value);
            } else if (series.contains("_seconds_sum")) {
                sums.put(series.replace("_seconds_sum", "_seconds"), value);
            }
        }
        return new Snapshot(buckets, sums);
    }

    static Table table(String title, Snapshot before, Snapshot after) {
        Table.Builder t = new Table.Builder(title, "histogram", "count", "mean ms", "p50 <= ms", "p99 <= ms");
        after.buckets().forEach((name, b) -> {
            TreeMap<Double, Double> was = before.buckets().getOrDefault(name, new TreeMap<>());
            List<double[]> delta = new ArrayList<>();
            b.forEach((le, n) -> delta.add(new double[] {le, n - was.getOrDefault(le, 0.0)}));
            double count = delta.isEmpty() ? 0 : delta.get(delta.size() - 1)[1];
            if (count <= 0) {
                return;
            }
            double sum = after.sums().getOrDefault(name, 0.0) - before.sums().getOrDefault(name, 0.0);
            t.row(name.substring(PREFIX.length()), String.format(java.util.Locale.ROOT, "%.0f", count), String.format(java.util.Locale.ROOT, "%.1f", sum / count * 1e3),
                    bound(delta, count * 0.5), bound(delta, count * 0.99));
        });
        t.note("the difference of two scrapes of the controller's /metrics around the scenario; quantiles are the"
                + " upper bound of the histogram bucket they fall in");
        return t.build();
    }

    private static String bound(List<double[]> cumulative, double rank) {
        for (double[] b : cumulative) {
            if (b[1] >= rank) {
                return Double.isInfinite(b[0]) ? "+Inf" : String.format(java.util.Locale.ROOT, "%.0f", b[0] * 1e3);
            }
        }
        return "+Inf";
    }
}
