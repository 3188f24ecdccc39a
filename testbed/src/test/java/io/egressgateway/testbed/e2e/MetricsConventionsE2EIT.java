package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} (Prometheus's own linter: {@code _total} counters, base units, no
 * reserved suffixes, help on every family) passes on the real {@code /metrics} of the controller and
 * of an agent in a running testbed with a policy placed, so every family the roles export is in it.
 * Skipped, with a message, when {@code PROMTOOL} is not set (bin/run-tests and CI set it).
 */
class MetricsConventionsE2EIT extends E2ESupport {
    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    /** The tests' JVMs with the agents' listeners on, so their /metrics can be read. */
    @Override
    EgressCluster.Launch launch() {
        EgressCluster.Launch t = EgressCluster.Launch.testing();
        return new EgressCluster.Launch(t.controllerJvm(), t.agentJvm(), true);
    }

    @Override
    void setUp() {
        createExamplePolicy();
    }

    @Test
    void theControllersAndAnAgentsMetricsPassPromtool() throws Exception {
        String promtool = System.getenv("PROMTOOL");
        Assumptions.assumeTrue(promtool != null && !promtool.isBlank(),
                "PROMTOOL is not set: cannot run promtool check metrics (bin/promtool-tool prints its path)");
        String node = awaitPolicyStatus("shop", "node");
        Waits.until("the controller to report the policy's EIP", DEADLINE, () -> PromSamples.parse(cluster.controllerMetrics()).sum("egressgateway_policy_eip_assigned", Map.of("policy", "shop")) == 1);
        String controller = cluster.controllerMetrics();
        String agent = agentMetrics(node);

        assertThat(controller).contains("egressgateway_build_info{role=\"controller\"", "egressgateway_controller_leader 1",
                "egressgateway_controller_reconcile_duration_seconds_bucket", "egressgateway_nodes{phase=\"Succeeded\"}",
                "egressgateway_gateway_eip_pool_size{family=\"ipv4\",gateway=\"default\"} 11", "jvm_memory_used_bytes");
        assertThat(agent).contains("egressgateway_build_info{role=\"agent\"", "egressgateway_agent_passes_total{result=\"ok\"}",
                "egressgateway_agent_fenced 0", "egressgateway_agent_heartbeat_age_seconds", "jvm_threads_current");
        assertThat(promtool(promtool, controller)).as("promtool check metrics on the controller's /metrics").isEmpty();
        assertThat(promtool(promtool, agent)).as("promtool check metrics on %s's agent's /metrics", node).isEmpty();
    }

    private String agentMetrics(String node) throws Exception {
        int port = cluster.agentMetricsPort(node);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("agent /metrics status").isEqualTo(200);
        return r.body();
    }

    /** promtool's complaints (empty when it passes); an exit code other than 0 and 3 (lint problems) fails. */
    private static String promtool(String promtool, String text) throws Exception {
        Process p = new ProcessBuilder(List.of(promtool, "check", "metrics")).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    }
}
