package io.egressgateway.adapters.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricSources;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {
    @Test
    void writesLabelledFamiliesAfterTheRegistryAndSkipsABrokenSource() {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("webhook.http.too_large").inc(2);
        MetricSources sources = new MetricSources();
        sources.add(() -> List.of(new MetricFamily("egressgateway_policy_egress_bytes_total", "Bytes that left with the EIP.",
                MetricFamily.Type.COUNTER, List.of(new MetricFamily.Sample(Map.of("policy", "ns/a", "eip", "10.6.1.21"), 1500)))));
        sources.add(() -> {
            throw new IllegalStateException("kernel counters unreadable");
        });
        sources.add(() -> List.of(new MetricFamily("egressgateway_gateway_eips", "EIPs placed.", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Map.of("gateway", "default"), 3)))));

        String text = new String(new PrometheusScrape(registry, sources).scrape(), StandardCharsets.UTF_8);

        assertTrue(text.contains("webhook_http_too_large"), text);
        assertTrue(text.contains("# TYPE egressgateway_policy_egress_bytes_total counter"), text);
        assertTrue(text.contains("egressgateway_policy_egress_bytes_total{eip=\"10.6.1.21\",policy=\"ns/a\"} 1500.0"), text);
        assertTrue(text.contains("egressgateway_gateway_eips{gateway=\"default\"} 3.0"), text);
        assertEquals(1, text.split("# TYPE egressgateway_gateway_eips ", -1).length - 1, text);
    }

    @Test
    void writesAHistogramWithCumulativeBucketsAndTheJvmMetrics() {
        MetricSources sources = new MetricSources();
        io.egressgateway.application.metrics.DurationHistogram h = new io.egressgateway.application.metrics.DurationHistogram(
                List.of(0.1, 1.0, Double.POSITIVE_INFINITY));
        h.observeNanos(50_000_000);
        h.observeNanos(500_000_000);
        h.observeNanos(5_000_000_000L);
        sources.add(() -> List.of(new MetricFamily("egressgateway_controller_reconcile_duration_seconds", "Pass time.",
                MetricFamily.Type.HISTOGRAM, List.of(MetricFamily.Sample.histogram(Map.of(), h.snapshot())))));

        String text = new String(new PrometheusScrape(new MetricRegistry(), sources).scrape(), StandardCharsets.UTF_8);

        assertTrue(text.contains("# TYPE egressgateway_controller_reconcile_duration_seconds histogram"), text);
        assertTrue(text.contains("egressgateway_controller_reconcile_duration_seconds_bucket{le=\"0.1\"} 1"), text);
        assertTrue(text.contains("egressgateway_controller_reconcile_duration_seconds_bucket{le=\"1.0\"} 2"), text);
        assertTrue(text.contains("egressgateway_controller_reconcile_duration_seconds_bucket{le=\"+Inf\"} 3"), text);
        assertTrue(text.contains("egressgateway_controller_reconcile_duration_seconds_count 3"), text);
        assertTrue(text.contains("egressgateway_controller_reconcile_duration_seconds_sum 5.55"), text);
        assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), text);
    }

    @Test
    void writesAnInfoGaugeUnderItsOwnName() {
        MetricSources sources = new MetricSources();
        sources.add(() -> List.of(new MetricFamily("egressgateway_build_info", "Build.", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Map.of("version", "1.2.3", "role", "agent"), 1)))));

        String text = new String(new PrometheusScrape(new MetricRegistry(), sources).scrape(), StandardCharsets.UTF_8);

        assertTrue(text.contains("egressgateway_build_info{role=\"agent\",version=\"1.2.3\"} 1"), text);
    }

    @Test
    void refusesAHistogramSampleWithoutBucketsAndACounterSampleWithThem() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new MetricFamily("x_seconds", "",
                MetricFamily.Type.HISTOGRAM, List.of(new MetricFamily.Sample(Map.of(), 1))));
        MetricFamily.Buckets b = new io.egressgateway.application.metrics.DurationHistogram().snapshot();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new MetricFamily("x_total", "",
                MetricFamily.Type.COUNTER, List.of(MetricFamily.Sample.histogram(Map.of(), b))));
    }

    @Test
    void refusesACounterWithoutTotal() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new MetricFamily("x_bytes", "",
                MetricFamily.Type.COUNTER, List.of()));
    }
}
