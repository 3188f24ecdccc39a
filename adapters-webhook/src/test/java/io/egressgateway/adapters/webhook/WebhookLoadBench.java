package io.egressgateway.adapters.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The webhook's figures under load, printed as a Markdown table (docs/benchmarks.md): the real
 * server on 127.0.0.1 with the production limits ({@link WebhookConfig.Limits#DEFAULTS}), first
 * with a flood of reviews only, then with slowloris connections and slow readers added. An
 * "API server" client (reviews one after another on a kept connection) and a "kubelet" (a new
 * connection per /healthz or /readyz, 20 a second) are measured throughout.
 *
 * <p>{@code mvn -B -pl adapters-webhook -am -Pwebhook-bench -DskipTests verify}, or
 * {@code -Dwebhook.bench.seconds=N} for another length of each phase (default 20).
 */
public final class WebhookLoadBench {
    private WebhookLoadBench() {
    }

    record Row(String scenario, WebhookLoad load, ProbeClient api, long apiRefused, long apiFailed, ProbeClient kubelet,
               long kubeletFailed, long evicted, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        // the attack makes the server log each connection it cuts; the table is what this prints
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int seconds = Integer.getInteger("webhook.bench.seconds", 20);
        String loadBefore = loadAverage();
        Instant start = Instant.now();
        List<Row> rows = new ArrayList<>();
        rows.add(run("flood only", new WebhookLoad.Plan(0, 0, 0, 0, 8, Duration.ofSeconds(1)), seconds));
        rows.add(run("flood + slowloris + slow readers", new WebhookLoad.Plan(256, 32, 8, 2, 8, Duration.ofSeconds(1)),
                seconds));
        System.out.println();
        System.out.println("| scenario | reviews/s (flood) | flood p50 ms | flood p99 ms | 503s | API-server reviews | "
                + "its p50 ms | its p99 ms | its failures | liveness probes | liveness p50 ms | liveness p99 ms | liveness failures | "
                + "slowloris cut off | slow readers cut off | connections evicted |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %d | %d | %.1f | %.1f | %d | %d | %.1f | %.1f | %d | %d | %d | %d |%n",
                    r.scenario(), r.load().floodAnswered.get() / r.seconds(), r.load().flood.millis(0.5),
                    r.load().flood.millis(0.99), r.load().floodOverloaded.get() + r.apiRefused(), r.api().latencies.count(),
                    r.api().latencies.millis(0.5), r.api().latencies.millis(0.99), r.apiFailed(),
                    r.kubelet().latencies.count(), r.kubelet().latencies.millis(0.5), r.kubelet().latencies.millis(0.99),
                    r.kubeletFailed(),
                    r.load().slowCutOff.get(), r.load().slowReadersCutOff.get(), r.evicted());
        }
        System.out.println();
        System.out.printf("- %s, %d s per scenario, %d CPUs; load average (1/5/15 min) before: %s, after: %s%n", start,
                seconds, Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.println("- limits: " + WebhookConfig.Limits.DEFAULTS);
    }

    private static Row run(String scenario, WebhookLoad.Plan plan, int seconds) throws Exception {
        try (TestServer s = new TestServer(WebhookConfig.Limits.DEFAULTS)) {
            ClusterFixture.fill(s.cluster);
            SSLContext tls = TestServer.trusting(s.server.caBundlePem());
            String review = Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "n"), null,
                    TestServer.CONTROLLER);
            ProbeClient api = new ProbeClient(() -> RawHttp.tls(tls, s.server.admissionPort(), 30_000), true);
            ProbeClient kubelet = new ProbeClient(() -> RawHttp.plain(s.server.healthPort(), 30_000), false);
            AtomicLong apiRefused = new AtomicLong();
            AtomicLong apiFailed = new AtomicLong();
            AtomicLong kubeletFailed = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            WebhookLoad load = new WebhookLoad(s.server, tls, plan, review).start();
            try {
                Thread probes = new Thread(() -> loop(end, 0, () -> api.send(RawHttp.post("/validate-controller-owned",
                        review, false)), r -> {
                    if (r == null) {
                        apiFailed.incrementAndGet();
                    } else if (r.status() == 503) {
                        apiRefused.incrementAndGet();
                    } else if (r.status() != 200) {
                        apiFailed.incrementAndGet();
                    }
                }), "bench-api-server");
                int[] n = {0};
                Thread kubelets = new Thread(() -> loop(end, 50, () -> kubelet.send(RawHttp.get(n[0]++ % 2 == 0
                        ? "/healthz" : "/readyz", true)), r -> {
                    if (r == null || r.status() != 200) {
                        kubeletFailed.incrementAndGet();
                    }
                }), "bench-kubelet");
                probes.start();
                kubelets.start();
                probes.join();
                kubelets.join();
            } finally {
                load.close();
                api.close();
            }
            long evicted = s.server.webhookMetrics().count(WebhookMetrics.EVICTED, "listener", "admission")
                    + s.server.webhookMetrics().count(WebhookMetrics.EVICTED, "listener", "health");
            return new Row(scenario, load, api, apiRefused.get(), apiFailed.get(), kubelet, kubeletFailed.get(), evicted,
                    seconds);
        }
    }

    interface Send {
        RawHttp.Response send() throws IOException;
    }

    /** Sends until {@code end}, pausing {@code pauseMillis} between requests; null to {@code result} for a failure. */
    private static void loop(long end, long pauseMillis, Send send, Consumer<RawHttp.Response> result) {
        while (System.nanoTime() - end < 0) {
            try {
                result.accept(send.send());
            } catch (IOException e) {
                result.accept(null);
            }
            if (pauseMillis > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(pauseMillis * 1_000_000);
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
