package io.egressgateway.application.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Durations counted in fixed buckets (seconds), for a {@code *_duration_seconds} histogram: cheap to
 * record from any thread (no lock), read at scrape time. The default bounds span a millisecond to
 * half a minute, what a reconcile pass or an admission review takes.
 */
public final class DurationHistogram {
    public static final List<Double> DEFAULT_BOUNDS = List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1.0, 2.5, 5.0, 10.0, 30.0, Double.POSITIVE_INFINITY);
    private final List<Double> bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();

    public DurationHistogram() {
        this(DEFAULT_BOUNDS);
    }

    /** {@code bounds} ascending, ending with {@code +Inf}. */
    public DurationHistogram(List<Double> bounds) {
        this.bounds = List.copyOf(bounds);
        this.counts = new AtomicLongArray(bounds.size());
        snapshot(); // checks the bounds
    }

    public void observeNanos(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int i = 0;
        while (seconds > bounds.get(i)) {
            i++;
        }
        counts.incrementAndGet(i);
        sum.add(seconds);
    }

    public MetricFamily.Buckets snapshot() {
        List<Long> c = new ArrayList<>(bounds.size());
        for (int i = 0; i < bounds.size(); i++) {
            c.add(counts.get(i));
        }
        return new MetricFamily.Buckets(bounds, c, sum.sum());
    }
}
