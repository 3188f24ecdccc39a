package io.egressgateway.adapters.webhook;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's own metrics in the process's Dropwizard registry. Names carry the dimensions (the
 * bridge maps a dotted name to one Prometheus name): {@code webhook.admission.<phase>.<kind>.<result>}.
 */
final class WebhookMetrics {
    private final MetricRegistry registry;

    WebhookMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    void admission(Phase phase, String kind, AdmissionDecision d, long nanos) {
        String p = phase.name().toLowerCase(Locale.ROOT);
        String k = kind.toLowerCase(Locale.ROOT);
        registry.counter("webhook.admission." + p + "." + k + "." + (d.allowed() ? "allowed" : "denied")).inc();
        registry.timer("webhook.admission.latency." + p).update(nanos, TimeUnit.NANOSECONDS);
    }

    void malformed() {
        registry.counter("webhook.admission.malformed").inc();
    }

    void tooLarge() {
        registry.counter("webhook.http.too_large").inc();
    }
}
