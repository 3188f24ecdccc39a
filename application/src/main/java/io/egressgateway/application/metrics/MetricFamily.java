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
 * A counter's name ends in {@code _total}; values are in base units (bytes, seconds).
 */
public record MetricFamily(String name, String help, Type type, List<Sample> samples) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** Counter: only grows (restarts from zero with the process). Gauge: goes up and down. */
    public enum Type { COUNTER, GAUGE }

    /** One labelled value; label names follow Prometheus's rules, values are any string. */
    public record Sample(Map<String, String> labels, double value) {
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
        samples = List.copyOf(samples);
    }
}
