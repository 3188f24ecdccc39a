package io.egressgateway.adapters.webhook;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricSources;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /metrics} writes, in the Prometheus text format: the Dropwizard registry through the
 * Prometheus Dropwizard bridge, then the labelled families of the role's {@link MetricSources}, then
 * the JVM's own metrics ({@code jvm_*}, {@code process_*}) from Prometheus's JVM instrumentation. A
 * family whose name was already written is left out (the text format allows a name once).
 */
final class PrometheusScrape {
    /** One per process: the JVM instrumentation reads process-wide MXBeans. */
    private static final PrometheusRegistry JVM = jvm();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrometheusScrape.class);
    private final DropwizardExports exports;
    private final MetricSources sources;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    PrometheusScrape(MetricRegistry registry, MetricSources sources) {
        this.exports = new DropwizardExports(registry);
        this.sources = sources;
    }

    byte[] scrape() {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        Set<String> names = new HashSet<>();
        for (MetricSnapshot s : exports.collect()) {
            all.metricSnapshot(s);
            names.add(s.getMetadata().getPrometheusName());
        }
        for (MetricFamily f : sources.collect()) {
            MetricSnapshot s;
            try {
                s = snapshot(f);
            } catch (IllegalArgumentException e) {
                // one family the Prometheus model refuses must not take /metrics down with it
                LOG.warn("metric family {} left out of the scrape: {}", f.name(), e.getMessage());
                continue;
            }
            if (names.add(s.getMetadata().getPrometheusName())) {
                all.metricSnapshot(s);
            }
        }
        for (MetricSnapshot s : JVM.scrape()) {
            if (names.add(s.getMetadata().getPrometheusName())) {
                all.metricSnapshot(s);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, all.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    String contentType() {
        return writer.getContentType();
    }

    /**
     * Memory, GC, threads, classes, buffer pools and the process (CPU, RSS, file descriptors): not
     * all of {@code JvmMetrics}, whose native-memory, runtime-info, compilation and pool-allocation
     * collectors load the platform MBean server and GC listeners, twice the classes and metaspace
     * (docs/metrics.md has the figures; the agent's memory is tight).
     */
    private static PrometheusRegistry jvm() {
        PrometheusRegistry r = new PrometheusRegistry();
        JvmMemoryMetrics.builder().register(r);
        JvmGarbageCollectorMetrics.builder().register(r);
        JvmThreadsMetrics.builder().register(r);
        JvmClassLoadingMetrics.builder().register(r);
        JvmBufferPoolMetrics.builder().register(r);
        ProcessMetrics.builder().register(r);
        return r;
    }

    private static MetricSnapshot snapshot(MetricFamily f) {
        if (f.type() == MetricFamily.Type.HISTOGRAM) {
            HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name()).help(f.help());
            for (MetricFamily.Sample s : f.samples()) {
                MetricFamily.Buckets k = s.buckets();
                b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels(s.labels()))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(k.upperBounds(), k.counts()))
                        .sum(k.sum()).build());
            }
            return b.build();
        }
        if (f.type() == MetricFamily.Type.COUNTER) {
            CounterSnapshot.Builder b = CounterSnapshot.builder()
                    .name(f.name().substring(0, f.name().length() - "_total".length())).help(f.help());
            for (MetricFamily.Sample s : f.samples()) {
                b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(s.labels())).value(s.value()).build());
            }
            return b.build();
        }
        if (f.name().endsWith("_info") && f.samples().stream().allMatch(s -> s.value() == 1)) {
            // an info metric (egressgateway_build_info): the model names it without _info and writes it back
            InfoSnapshot.Builder b = InfoSnapshot.builder().name(f.name().substring(0, f.name().length() - "_info".length()))
                    .help(f.help());
            for (MetricFamily.Sample s : f.samples()) {
                b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(s.labels())).build());
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name()).help(f.help());
        for (MetricFamily.Sample s : f.samples()) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(s.labels())).value(s.value()).build());
        }
        return b.build();
    }

    private static Labels labels(Map<String, String> m) {
        Labels.Builder b = Labels.builder();
        m.forEach(b::label);
        return b.build();
    }
}
