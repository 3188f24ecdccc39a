package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmitResourceUseCase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the server does when admission is saturated, made deterministic by a use case that blocks
 * until the test lets it go: 503 at once for a full queue or a review that waited too long, the
 * right connection closed at the cap, and health and metrics answering throughout.
 */
class AdmissionOverloadTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger decided = new AtomicInteger();
    private final AdmitResourceUseCase blocking = req -> {
        decided.incrementAndGet();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return AdmissionDecision.allow();
    };
    private final MetricRegistry metrics = new MetricRegistry();
    /** Admission's queue-wait clock: moves only when the test moves it. */
    private final AtomicLong now = new AtomicLong();
    private WebhookServer server;
    private SSLContext tls;

    private void start(int workers, int queue, Duration maxQueueWait, int maxConnections) throws Exception {
        WebhookConfig.Tls cert = new WebhookConfig.Tls(WebhookConfig.Tls.Mode.SELF_SIGNED, List.of("localhost"), null, null,
                null, Duration.ofDays(30), Duration.ofDays(1), Duration.ofMinutes(10));
        WebhookConfig config = new WebhookConfig("127.0.0.1", WebhookConfig.EPHEMERAL, WebhookConfig.EPHEMERAL,
                WebhookConfig.EPHEMERAL, cert, new WebhookConfig.Limits(64 * 1024, Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(20), workers, queue, maxQueueWait, maxConnections, 4));
        server = WebhookServer.start(config, new WebhookServer.Wiring(blocking, metrics, ReadinessCheck.always(),
                () -> ReadinessCheck.Result.ok("synced"), WebhookServer.noCaPublisher()), now::get);
        tls = TestServer.trusting(server.caBundlePem());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private static byte[] review() {
        return RawHttp.post("/validate-controller-owned",
                Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "n"), null, "alice"), false);
    }

    private RawHttp connect() throws IOException {
        return RawHttp.tls(tls, server.admissionPort(), 20_000);
    }

    private int gauge(String name, String... labels) {
        return (int) server.webhookMetrics().gaugeValue(name, labels);
    }

    @Test
    void a_full_queue_is_refused_with_503_at_once_while_health_and_metrics_answer() throws Exception {
        start(1, 1, Duration.ofHours(1), 16);
        try (RawHttp a = connect(); RawHttp b = connect(); RawHttp c = connect()) {
            a.write(review());
            Await.until("the first review is being decided", () -> decided.get() == 1);
            b.write(review());
            Await.until("the second review is queued", () -> gauge(WebhookMetrics.QUEUE) == 1);

            RawHttp.Response refused = c.exchange(review());

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("overloaded").contains("queue full: 1 waiting, 1 being decided");
            try (RawHttp h = RawHttp.plain(server.healthPort(), 20_000); RawHttp r = RawHttp.plain(server.healthPort(), 20_000);
                 RawHttp m = RawHttp.plain(server.metricsPort(), 20_000)) {
                assertThat(h.exchange(RawHttp.get("/healthz", true)).status()).isEqualTo(200);
                assertThat(r.exchange(RawHttp.get("/readyz", true)).status()).isEqualTo(200);
                Map<String, Double> samples = PrometheusTextParser.parse(m.exchange(RawHttp.get("/metrics", true)).body());
                assertThat(samples).containsEntry("egressgateway_webhook_requests_total{outcome=\"rejected_overload\"}", 1.0)
                        .containsEntry("egressgateway_webhook_queue_depth", 1.0)
                        .containsEntry("egressgateway_webhook_in_flight", 1.0);
            }

            release.countDown();
            assertThat(Reviews.response(a.read().body()).path("allowed").booleanValue()).isTrue();
            assertThat(Reviews.response(b.read().body()).path("allowed").booleanValue()).isTrue();
            // a refusal keeps the connection: the next review on it is decided
            assertThat(c.exchange(review()).status()).isEqualTo(200);
        }
        assertThat(server.webhookMetrics().count(WebhookMetrics.REQUESTS, "outcome", "allowed")).isEqualTo(3);
        assertThat(server.webhookMetrics().count(WebhookMetrics.REQUESTS, "outcome", "rejected_overload")).isEqualTo(1);
        assertThat(server.webhookMetrics().requestsTimed()).isEqualTo(3);
    }

    @Test
    void a_review_that_waited_longer_than_max_queue_wait_is_refused_not_decided() throws Exception {
        start(1, 4, Duration.ofSeconds(1), 16);
        try (RawHttp a = connect(); RawHttp b = connect()) {
            a.write(review());
            Await.until("the first review is being decided", () -> decided.get() == 1);
            b.write(review());
            Await.until("the second review is queued", () -> gauge(WebhookMetrics.QUEUE) == 1);
            now.addAndGet(Duration.ofSeconds(2).toNanos());

            release.countDown();

            assertThat(a.read().status()).isEqualTo(200);
            RawHttp.Response late = b.read();
            assertThat(late.status()).isEqualTo(503);
            assertThat(late.body()).contains("overloaded").contains("for a worker, longer than");
        }
        assertThat(decided).hasValue(1);
    }

    @Test
    void at_the_cap_the_connection_waiting_longest_for_its_client_goes_and_busy_ones_stay() throws Exception {
        start(1, 4, Duration.ofHours(1), 3);
        try (RawHttp idle = connect(); RawHttp busy = connect()) {
            busy.write(review());
            Await.until("a review is being decided", () -> decided.get() == 1);
            try (RawHttp second = connect()) {
                Await.until("three connections", () -> gauge(WebhookMetrics.OPEN, "listener", "admission") == 3);
                second.write(review());
                Await.until("the second review is queued", () -> gauge(WebhookMetrics.QUEUE) == 1);

                RawHttp newcomer = connect(); // at the cap: takes the idle connection's place
                Await.until("one eviction",
                        () -> server.webhookMetrics().count(WebhookMetrics.EVICTED, "listener", "admission") == 1);
                assertThatThrownBy(idle::read).isInstanceOf(IOException.class);
                newcomer.write(review());
                Await.until("the newcomer's review is queued", () -> gauge(WebhookMetrics.QUEUE) == 2);

                // every connection now has a review being decided or queued: a new one is refused
                assertThatThrownBy(() -> connect().exchange(review())).isInstanceOf(IOException.class);
                assertThat(server.webhookMetrics().count(WebhookMetrics.REFUSED, "listener", "admission")).isEqualTo(1);

                release.countDown();
                assertThat(busy.read().status()).isEqualTo(200);
                assertThat(second.read().status()).isEqualTo(200);
                assertThat(newcomer.read().status()).isEqualTo(200);
                newcomer.close();
            }
        }
    }
}
