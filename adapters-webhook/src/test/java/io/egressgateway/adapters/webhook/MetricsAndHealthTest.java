package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.application.lifecycle.ReadinessCheck;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} read back by a strict text-format parser; {@code /healthz} and {@code /readyz}. */
class MetricsAndHealthTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        ClusterFixture.fill(server.cluster);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void metrics_count_admissions_by_phase_kind_and_result() throws Exception {
        server.metrics.counter("controller.reconciles").inc(7);
        for (int i = 0; i < 3; i++) {
            server.post("/validate-controller-owned",
                    Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "n"), null, "alice"));
        }
        server.post("/mutate-egressgateway", Reviews.request("EgressGateway", "CREATE",
                ClusterFixture.gateway("g", "\"nodeSelector\":{\"matchLabels\":{\"a\":\"b\"}}"), null, "alice"));
        server.post("/validate-egressgateway", "{oops");

        HttpResponse<String> http = server.get(server.server.metricsPort(), "/metrics");

        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = PrometheusTextParser.parse(http.body());
        assertThat(samples)
                .containsEntry("egressgateway_webhook_reviews_total{kind=\"egress_node\",phase=\"validate\",verdict=\"denied\"}", 3.0)
                .containsEntry("egressgateway_webhook_reviews_total{kind=\"egress_gateway\",phase=\"mutate\",verdict=\"allowed\"}", 1.0)
                .containsEntry("egressgateway_webhook_reviews_total{kind=\"unknown\",phase=\"validate\",verdict=\"denied\"}", 1.0)
                .containsEntry("egressgateway_webhook_malformed_total", 1.0)
                .containsEntry("controller_reconciles_total", 7.0)
                .containsEntry("egressgateway_webhook_decision_duration_seconds_count{phase=\"validate\"}", 4.0)
                .containsEntry("egressgateway_webhook_requests_total{outcome=\"denied\"}", 4.0);
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("egressgateway_webhook_decision_duration_seconds_bucket{"));
    }

    @Test
    void the_parser_refuses_what_prometheus_would_refuse() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("a-b 1\n")).hasMessageContaining("not a sample line");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a{x=\"1} 1\n")).hasMessageContaining("bad label set");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a{x=1} 1\n")).hasMessageContaining("bad label set");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a 1\n# TYPE a gauge\n")).hasMessageContaining("TYPE");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a meter\n")).hasMessageContaining("bad type");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a 1")).hasMessageContaining("newline");
        assertThat(PrometheusTextParser.parse("# HELP a x\n# TYPE a gauge\na{q=\"0.5\",b=\"\\\"\"} +Inf 123\n"))
                .containsEntry("a{q=\"0.5\",b=\"\\\"\"}", Double.POSITIVE_INFINITY);
    }

    @Test
    void healthz_and_readyz_follow_the_checks() throws Exception {
        int port = server.server.healthPort();
        assertThat(server.get(port, "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = server.get(port, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok: synced\n");

        server.ready.set(ReadinessCheck.Result.failing("informers not synced: egressgateways"));

        HttpResponse<String> notReady = server.get(port, "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("failing: informers not synced: egressgateways\n");
        assertThat(server.get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(server.get(port, "/metrics").statusCode()).as("metrics has its own port").isEqualTo(404);
    }

    @Test
    void readyz_fails_once_the_admission_listener_stops_serving() throws Exception {
        int port = server.server.healthPort();
        assertThat(server.get(port, "/readyz").statusCode()).isEqualTo(200);

        server.server.closeAdmissionListenerForTest();

        HttpResponse<String> notReady = server.get(port, "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("admission webhook is not serving");
    }

    @Test
    void head_answers_like_get_without_a_body() throws Exception {
        HttpResponse<String> head = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.server.healthPort() + "/healthz"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue((long) "ok: ok\n".length());
    }
}
