package io.egressgateway.adapters.webhook;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The webhook's own metrics in the process's Dropwizard registry. Names carry the dimensions (the
 * bridge maps a dotted name to one Prometheus name, adds {@code _total} to counters and reports
 * timers in seconds): {@code webhook.admission.<phase>.<kind>.<result>},
 * {@code webhook.admission.requests.<outcome>}, {@code webhook.admission.duration.seconds}.
 */
final class WebhookMetrics {
    /** What became of an admission request; the last part of {@code webhook_admission_requests_<outcome>_total}. */
    enum Outcome { ALLOWED, DENIED, REJECTED_OVERLOAD, ERROR }

    private final MetricRegistry registry;
    private final List<String> gauges = new ArrayList<>();

    WebhookMetrics(MetricRegistry registry) {
        this.registry = registry;
        // every series exists from the start at 0, so rate() and alerts see "none yet", not "absent"
        for (Outcome o : Outcome.values()) {
            registry.counter("webhook.admission.requests." + o.name().toLowerCase(Locale.ROOT));
        }
        for (String reason : new String[] {"idle", "request_timeout", "write_timeout"}) {
            registry.counter("webhook.http.closed." + reason);
        }
    }

    void admission(Phase phase, String kind, AdmissionDecision d, long nanos) {
        String p = phase.name().toLowerCase(Locale.ROOT);
        String k = kind.toLowerCase(Locale.ROOT);
        registry.counter("webhook.admission." + p + "." + k + "." + (d.allowed() ? "allowed" : "denied")).inc();
        registry.timer("webhook.admission.latency." + p).update(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One admission request's outcome; {@code sinceReceivedNanos} (queue wait included) goes into the
     * duration summary for decided reviews only, so refusals at once do not hide slow decisions.
     */
    void outcome(Outcome outcome, long sinceReceivedNanos) {
        registry.counter("webhook.admission.requests." + outcome.name().toLowerCase(Locale.ROOT)).inc();
        if (outcome != Outcome.REJECTED_OVERLOAD) {
            registry.timer("webhook.admission.duration.seconds").update(sinceReceivedNanos, TimeUnit.NANOSECONDS);
        }
    }

    void malformed() {
        registry.counter("webhook.admission.malformed").inc();
    }

    void tooLarge() {
        registry.counter("webhook.http.too_large").inc();
    }

    /** A connection the server closed on a client: {@code idle}, {@code request_timeout}, {@code write_timeout}. */
    void closed(String reason) {
        registry.counter("webhook.http.closed." + reason).inc();
    }

    void connectionRefused(String listener) {
        registry.counter("webhook.http.connections.refused." + listener).inc();
    }

    void connectionEvicted(String listener) {
        registry.counter("webhook.http.connections.evicted." + listener).inc();
    }

    /** A gauge owned by this server: replaces one a closed server left, removed by {@link #removeGauges}. */
    <T extends Number> void gauge(String name, Supplier<T> value) {
        registry.remove(name);
        registry.register(name, (Gauge<T>) value::get);
        gauges.add(name);
    }

    void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }
}
