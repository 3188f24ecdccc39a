package io.egressgateway.application.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's metric sources, one per role piece that exports labelled families; {@code /metrics}
 * collects them all on each scrape. A source that throws is left out of that scrape and logged, so one
 * broken source never hides the others.
 */
public final class MetricSources {
    private static final Logger LOG = LoggerFactory.getLogger(MetricSources.class);
    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();

    public void add(MetricSource source) {
        sources.add(source);
    }

    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>();
        for (MetricSource s : sources) {
            try {
                out.addAll(s.collect());
            } catch (RuntimeException e) {
                LOG.warn("a metric source failed and is left out of this scrape: {}", e.toString());
            }
        }
        return out;
    }
}
