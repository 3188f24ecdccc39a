package io.egressgateway.application.agent;

import java.util.Arrays;

/**
 * The durations of the last {@value #WINDOW} passes of one kind, for quantiles over recent passes:
 * the steady pass at scale is a figure of issue 18, and one last-pass gauge cannot give its p99.
 * Thread-safe; written by the loop thread, read by the metrics scrape.
 */
public final class PassTimes {
    static final int WINDOW = 256;
    private final long[] nanos = new long[WINDOW];
    private long count;

    synchronized void record(long passNanos) {
        nanos[(int) (count % WINDOW)] = passNanos;
        count++;
    }

    /** How many passes of this kind ran since the start. */
    public synchronized long count() {
        return count;
    }

    /** The {@code q} quantile (0..1, nearest rank) of the recent passes in seconds; 0 before the first. */
    public synchronized double quantileSeconds(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be within 0..1, got " + q);
        }
        int n = (int) Math.min(count, WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * n);
        return sorted[Math.max(0, rank - 1)] / 1e9;
    }
}
