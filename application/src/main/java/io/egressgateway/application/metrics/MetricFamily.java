package io.egressgateway.application.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric family as Prometheus names it ({@code egressgateway_policy_egress_bytes_total}), with
 * labelled samples: what the roles export beside the Dropwizard registry, for metrics whose labels
 * come and go with the cluster (a policy, an EIP, a gateway). Plain Java so the application stays
 * free of a metrics library; the HTTP adapter writes it in the Prometheus text format.
 * A counter's name ends in {@code _total}; values are in base units (bytes, seconds). A histogram's
 * samples carry their buckets ({@link Buckets}, e.g. from a {@link DurationHistogram}); its name is the
 * base name ({@code _seconds}), the writer adds {@code _bucket}, {@code _sum} and {@code _count}.
 */
public record MetricFamily(String name, String help, Type type, List<Sample> samples) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /**
     * Counter: only grows (restarts from zero with the process). Gauge: goes up and down. Histogram:
     * observations counted in buckets, with their sum.
     */
    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    /**
     * One labelled value; label names follow Prometheus's rules, values are any string. A histogram's
     * sample has {@code buckets} (its value is the sum of the observations); the others have none.
     */
    public record Sample(Map<String, String> labels, double value, Buckets buckets) {
        public Sample(Map<String, String> labels, double value) {
            this(labels, value, null);
        }

        public static Sample histogram(Map<String, String> labels, Buckets buckets) {
            return new Sample(labels, buckets.sum(), buckets);
        }

        public Sample {
            labels = Map.copyOf(labels);
            for (String k : labels.keySet()) {
                if (!NAME.matcher(k).matches() || k.startsWith("__") || k.contains(":")) {
                    throw new IllegalArgumentException("label name " + k + " is not a Prometheus label name");
                }
            }
        }
    }

    public MetricFamily {
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name " + name + " is not a Prometheus metric name");
        }
        if (type == Type.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " must end in _total");
        }
        if (type == Type.HISTOGRAM && (name.endsWith("_bucket") || name.endsWith("_sum") || name.endsWith("_count"))) {
            throw new IllegalArgumentException("histogram " + name + " must be named without _bucket, _sum or _count");
        }
        for (Sample s : samples) {
            if ((type == Type.HISTOGRAM) != (s.buckets() != null)) {
                throw new IllegalArgumentException(name + ": a histogram's samples, and only those, carry buckets");
            }
        }
        samples = List.copyOf(samples);
    }

    /**
     * A histogram's buckets: upper bounds ascending, the last {@code +Inf}, and the count of
     * observations in each bucket (not cumulative: an observation counts in the first bucket whose
     * bound is not below it); {@code sum} of all observations.
     */
    public record Buckets(List<Double> upperBounds, List<Long> counts, double sum) {
        public Buckets {
            upperBounds = List.copyOf(upperBounds);
            counts = List.copyOf(counts);
            if (upperBounds.isEmpty() || upperBounds.size() != counts.size()
                    || upperBounds.get(upperBounds.size() - 1) != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("buckets need as many counts as bounds, the last bound +Inf");
            }
            for (int i = 1; i < upperBounds.size(); i++) {
                if (!(upperBounds.get(i - 1) < upperBounds.get(i))) {
                    throw new IllegalArgumentException("bucket bounds must ascend: " + upperBounds);
                }
            }
        }

        public long count() {
            return counts.stream().mapToLong(Long::longValue).sum();
        }
    }
}
