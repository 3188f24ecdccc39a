package io.egressgateway.adapters.webhook;

import io.egressgateway.application.metrics.DurationHistogram;
import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricFamily.Sample;
import io.egressgateway.application.metrics.MetricFamily.Type;
import io.egressgateway.application.metrics.MetricSource;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The HTTP server's own metrics as labelled families (docs/metrics.md): the dimensions are labels
 * ({@code egressgateway_webhook_requests_total{outcome}}), never glued into names. Counters exist
 * from the start at 0 where their label values are known, so rate() and alerts see "none yet", not
 * "absent". The server's gauges (open connections, queue) are read at scrape time.
 */
final class WebhookMetrics implements MetricSource {
    /** What became of an admission request: the {@code outcome} label. */
    enum Outcome { ALLOWED, DENIED, REJECTED_OVERLOAD, ERROR }

    static final String REQUESTS = "egressgateway_webhook_requests_total";
    static final String REVIEWS = "egressgateway_webhook_reviews_total";
    static final String MALFORMED = "egressgateway_webhook_malformed_total";
    static final String TOO_LARGE = "egressgateway_webhook_http_too_large_total";
    static final String CLOSED = "egressgateway_webhook_http_closed_total";
    static final String REFUSED = "egressgateway_webhook_http_connections_refused_total";
    static final String EVICTED = "egressgateway_webhook_http_connections_evicted_total";
    static final String OPEN = "egressgateway_webhook_http_connections_open";
    static final String QUEUE = "egressgateway_webhook_queue_depth";
    static final String IN_FLIGHT = "egressgateway_webhook_in_flight";
    private static final Map<String, String> HELP = Map.of(
            REQUESTS, "Admission requests by outcome (denied includes malformed reviews; error: the decision threw).",
            REVIEWS, "Admission reviews decided, by phase (mutate, validate), resource kind and verdict.",
            MALFORMED, "Admission requests whose body was no AdmissionReview.",
            TOO_LARGE, "Requests refused for a body over the size limit.",
            CLOSED, "Connections the server closed on a client, by reason (idle, request_timeout, write_timeout, error).",
            REFUSED, "Newcomer connections closed because every connection of the listener was busy.",
            EVICTED, "Idle connections closed at the listener's cap to make room for a newcomer.",
            OPEN, "Open connections by listener.",
            QUEUE, "Admission reviews waiting for a worker.",
            IN_FLIGHT, "Admission reviews being decided.");

    private final Map<String, Map<Map<String, String>, LongAdder>> counters = new ConcurrentHashMap<>();
    private final DurationHistogram requestDuration = new DurationHistogram();
    private final Map<String, DurationHistogram> decisionDuration = new ConcurrentHashMap<>();
    private final Map<String, Map<Map<String, String>, Supplier<? extends Number>>> gauges = new ConcurrentHashMap<>();

    WebhookMetrics() {
        for (Outcome o : Outcome.values()) {
            counter(REQUESTS, "outcome", label(o));
        }
        for (String reason : new String[] {"idle", "request_timeout", "write_timeout", "error"}) {
            counter(CLOSED, "reason", reason);
        }
        counter(MALFORMED);
        counter(TOO_LARGE);
    }

    void admission(Phase phase, String kind, AdmissionDecision d, long nanos) {
        String p = phase.name().toLowerCase(Locale.ROOT);
        counter(REVIEWS, "phase", p, "kind", kind.toLowerCase(Locale.ROOT), "verdict", d.allowed() ? "allowed" : "denied")
                .increment();
        decisionDuration.computeIfAbsent(p, x -> new DurationHistogram()).observeNanos(nanos);
    }

    /**
     * One admission request's outcome; {@code sinceReceivedNanos} (queue wait included) goes into the
     * duration histogram for decided reviews only, so refusals at once do not hide slow decisions.
     */
    void outcome(Outcome outcome, long sinceReceivedNanos) {
        counter(REQUESTS, "outcome", label(outcome)).increment();
        if (outcome != Outcome.REJECTED_OVERLOAD) {
            requestDuration.observeNanos(sinceReceivedNanos);
        }
    }

    void malformed() {
        counter(MALFORMED).increment();
    }

    void tooLarge() {
        counter(TOO_LARGE).increment();
    }

    /** A connection the server closed on a client: {@code idle}, {@code request_timeout}, {@code write_timeout}, {@code error}. */
    void closed(String reason) {
        counter(CLOSED, "reason", reason).increment();
    }

    void connectionRefused(String listener) {
        counter(REFUSED, "listener", listener).increment();
    }

    void connectionEvicted(String listener) {
        counter(EVICTED, "listener", listener).increment();
    }

    /** A gauge of this server ({@link #OPEN}, {@link #QUEUE}, {@link #IN_FLIGHT}), removed by {@link #removeGauges}. */
    void gauge(String family, Supplier<? extends Number> value, String... labels) {
        gauges.computeIfAbsent(family, f -> new ConcurrentHashMap<>()).put(labels(labels), value);
    }

    void removeGauges() {
        gauges.clear();
    }

    /** A counter's value (0 when never counted), for tests. */
    long count(String family, String... labels) {
        LongAdder a = counters.getOrDefault(family, Map.of()).get(labels(labels));
        return a == null ? 0 : a.sum();
    }

    /** A gauge's value (-1 when absent), for tests. */
    double gaugeValue(String family, String... labels) {
        Supplier<? extends Number> s = gauges.getOrDefault(family, Map.of()).get(labels(labels));
        return s == null ? -1 : s.get().doubleValue();
    }

    long requestsTimed() {
        return requestDuration.snapshot().count();
    }

    @Override
    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>();
        new TreeMap<>(counters).forEach((name, series) -> {
            List<Sample> samples = new ArrayList<>();
            series.forEach((l, v) -> samples.add(new Sample(l, v.sum())));
            out.add(new MetricFamily(name, HELP.get(name), Type.COUNTER, samples));
        });
        out.add(new MetricFamily("egressgateway_webhook_request_duration_seconds",
                "From a whole admission request to its encoded answer, queue wait included, for decided reviews.",
                Type.HISTOGRAM, List.of(Sample.histogram(Map.of(), requestDuration.snapshot()))));
        List<Sample> decisions = new ArrayList<>();
        new TreeMap<>(decisionDuration).forEach((p, h) -> decisions.add(Sample.histogram(Map.of("phase", p), h.snapshot())));
        out.add(new MetricFamily("egressgateway_webhook_decision_duration_seconds",
                "Time the admission use case took to decide a review, by phase.", Type.HISTOGRAM, decisions));
        new TreeMap<>(gauges).forEach((name, series) -> {
            List<Sample> samples = new ArrayList<>();
            series.forEach((l, v) -> samples.add(new Sample(l, v.get().doubleValue())));
            out.add(new MetricFamily(name, HELP.get(name), Type.GAUGE, samples));
        });
        return out;
    }

    private LongAdder counter(String family, String... labels) {
        return counters.computeIfAbsent(family, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(labels(labels), l -> new LongAdder());
    }

    private static String label(Outcome o) {
        return o.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Map.copyOf(m);
    }
}
