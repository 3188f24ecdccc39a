package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.agent.AgentMetrics;
import io.egressgateway.application.agent.AgentStats;
import io.egressgateway.application.controller.ControllerMetrics;
import io.egressgateway.application.controller.ControllerStats;
import io.egressgateway.application.metrics.MetricSources;
import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Each role's families as this process writes them, through {@code promtool check metrics}: the
 * names of every family that exists without a cluster (counters, histograms, the webhook's, the
 * JVM's). The cluster-derived gauges are checked on a running testbed by MetricsConventionsE2EIT.
 * Skipped when {@code PROMTOOL} is not set.
 */
class MetricNamesPromtoolTest {
    private static String scrape(MetricSources sources) {
        return new String(new PrometheusScrape(new MetricRegistry(), sources).scrape(), StandardCharsets.UTF_8);
    }

    private static String promtool(String text) throws Exception {
        String promtool = System.getenv("PROMTOOL");
        Assumptions.assumeTrue(promtool != null && !promtool.isBlank(),
                "PROMTOOL is not set: cannot run promtool check metrics (bin/promtool-tool prints its path)");
        Process p = new ProcessBuilder(List.of(promtool, "check", "metrics")).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    }

    @Test
    void theControllersFamiliesPassPromtool() throws Exception {
        WebhookMetrics webhook = new WebhookMetrics();
        webhook.admission(AdmissionRequest.Phase.VALIDATE, "EGRESS_NODE", AdmissionDecision.allow(), 1_000_000);
        webhook.outcome(WebhookMetrics.Outcome.ALLOWED, 2_000_000);
        webhook.connectionEvicted("admission");
        webhook.gauge(WebhookMetrics.OPEN, () -> 3, "listener", "admission");
        MetricSources sources = new MetricSources();
        sources.add(webhook);
        sources.add(new ControllerMetrics(new ControllerStats()));
        String text = scrape(sources);
        assertThat(text).contains("egressgateway_controller_reconcile_duration_seconds_bucket",
                "egressgateway_webhook_reviews_total{", "jvm_memory_used_bytes");
        assertThat(promtool(text)).isEmpty();
    }

    @Test
    void theAgentsFamiliesPassPromtool() throws Exception {
        MetricSources sources = new MetricSources();
        sources.add(new AgentMetrics(new AgentStats(), () -> 1500, () -> false));
        String text = scrape(sources);
        assertThat(text).contains("egressgateway_agent_operations_applied_total{kind=", "egressgateway_agent_fenced 0");
        assertThat(promtool(text)).isEmpty();
    }
}
