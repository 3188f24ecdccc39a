package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real server on 127.0.0.1 under slowloris connections (admission and health), slow readers
 * (admission and metrics) and a flood of reviews: every well-formed review is still answered
 * (decided, or refused at once by the server's own overload rule, never left to time out) and
 * every liveness and readiness probe gets 200. No timing is asserted: the deadlines only guard
 * against a hang. The figures of the same load are {@link WebhookLoadBench}'s.
 */
class AdmissionUnderAttackIT {
    /** Small caps and short clocks so that the attack reaches every limit within seconds. */
    private static final WebhookConfig.Limits LIMITS = new WebhookConfig.Limits(64 * 1024, Duration.ofSeconds(2),
            Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 64, Duration.ofSeconds(5), 32, 4);

    @Test
    void reviews_and_probes_are_answered_while_slow_clients_and_a_flood_attack() throws Exception {
        try (TestServer s = new TestServer(LIMITS)) {
            ClusterFixture.fill(s.cluster);
            SSLContext tls = TestServer.trusting(s.server.caBundlePem());
            String flood = Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "n"), null,
                    TestServer.CONTROLLER);
            int decided = 0;
            int refused = 0;
            WebhookLoad.Plan plan = new WebhookLoad.Plan(64, 8, 4, 2, 8, Duration.ofMillis(100));
            try (WebhookLoad load = new WebhookLoad(s.server, tls, plan, flood).start();
                 ProbeClient api = new ProbeClient(() -> RawHttp.tls(tls, s.server.admissionPort(), 30_000), true);
                 ProbeClient kubelet = new ProbeClient(() -> RawHttp.plain(s.server.healthPort(), 30_000), false)) {
                long t0 = System.nanoTime();
                Await.until("slowloris connections hit both caps", Duration.ofSeconds(60),
                        () -> evicted(s, "admission") > 0 && evicted(s, "health") > 0);

                for (int i = 0; i < 100; i++) {
                    String review = Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "p" + i),
                            null, TestServer.CONTROLLER);
                    RawHttp.Response r = api.send(RawHttp.post("/validate-controller-owned", review, false));
                    if (r.status() == 200) {
                        JsonNode resp = Reviews.response(r.body());
                        assertThat(resp.path("uid").stringValue()).isEqualTo(Reviews.uid(review));
                        assertThat(resp.path("allowed").booleanValue()).isTrue();
                        decided++;
                    } else {
                        assertThat(r.status()).as(r.body()).isEqualTo(503);
                        assertThat(r.body()).contains("overloaded");
                        refused++;
                    }
                    RawHttp.Response probe = kubelet.send(RawHttp.get(i % 2 == 0 ? "/healthz" : "/readyz", true));
                    assertThat(probe.status()).as(probe.body()).isEqualTo(200);
                }
                System.out.printf("attack-it: caps hit and 100 probes in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                Await.until("a slow reader is cut off by the write timeout", Duration.ofSeconds(60),
                        () -> load.slowReadersCutOff.get() > 0);
                assertThat(load.floodAnswered.get()).isPositive();
                assertThat(load.slowCutOff.get()).isPositive();
                System.out.printf("attack-it: slow reader cut off after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            }
            System.out.println("attack-it: load stopped");
            assertThat(decided + refused).isEqualTo(100);
            assertThat(decided).as("refused %d of 100", refused).isPositive();

            Map<String, Double> samples = PrometheusTextParser.parse(s.get(s.server.metricsPort(), "/metrics").body());
            assertThat(samples.get("egressgateway_webhook_requests_total{outcome=\"allowed\"}")).isGreaterThanOrEqualTo(decided);
            assertThat(samples.get("egressgateway_webhook_request_duration_seconds_count")).isGreaterThanOrEqualTo(decided);
            assertThat(samples).containsKey("egressgateway_webhook_queue_depth").containsKey("egressgateway_webhook_in_flight")
                    .containsKey("egressgateway_webhook_http_connections_open{listener=\"admission\"}");
            assertThat(samples.get("egressgateway_webhook_http_connections_evicted_total{listener=\"admission\"}")).isPositive();
            assertThat(samples).containsKey("egressgateway_webhook_http_closed_total{reason=\"request_timeout\"}");
        }
    }

    private static long evicted(TestServer s, String listener) {
        return s.server.webhookMetrics().count(WebhookMetrics.EVICTED, "listener", listener);
    }
}
