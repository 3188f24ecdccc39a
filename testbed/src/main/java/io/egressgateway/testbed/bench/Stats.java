package io.egressgateway.testbed.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Order statistics of a handful of samples. Percentiles are nearest-rank (the smallest sample with at
 * least p% of the samples at or below it): with 30 samples p99 is the largest, which is what an
 * honest p99 of so few samples can say.
 */
public record Stats(int n, double min, double p50, double p99, double max) {

    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples: empty; a statistic needs at least one sample");
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new Stats(sorted.size(), sorted.get(0), percentile(sorted, 50), percentile(sorted, 99),
                sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile of ascending {@code sorted}; {@code p} in (0, 100]. */
    static double percentile(List<Double> sorted, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    /** The median as usually defined (mean of the two middle samples for an even count). */
    public static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples: empty; a median needs at least one sample");
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }
}
