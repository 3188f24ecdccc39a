package io.egressgateway.application.metrics;

import java.util.List;

/**
 * Something that reports metric families when {@code /metrics} is scraped: read the current values
 * then, cheaply (no process spawn, no API call), and never block on the loop that writes them.
 */
@FunctionalInterface
public interface MetricSource {
    List<MetricFamily> collect();
}
