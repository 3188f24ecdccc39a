package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.bench.Prober;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.echo.EchoConnection;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An agent upgrade is not a failover (issue 14): each gateway node's agent in turn gets SIGTERM and
 * is started again, as a DaemonSet rolling update does, with default heartbeat settings. SIGTERM
 * releases nothing, so the kernel keeps forwarding; the new agent renews its Lease well inside the
 * eviction timeout. Probes every 10 ms from two pods: every answer comes from the EIP, the policy
 * never leaves its node, and a long-lived connection is never reset.
 */
class RollingUpgradeE2EIT extends E2ESupport {
    private String eip;

    @Override
    TestbedOptions options() {
        Map<String, String> shop = Map.of("app", "shopping");
        return TestbedOptions.builder().pod("shop-1", 1, shop).pod("shop-2", 2, shop).build();
    }

    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    /** Production's agent flags (bin/agent-jvm-options), listeners on: the restart is timed as users get it. */
    @Override
    EgressCluster.Launch launch() {
        return EgressCluster.Launch.production();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void restartingEachGatewayAgentMovesNothingLeaksNothingAndResetsNothing() throws Exception {
        eventuallySeen("shop-1", eip);
        eventuallySeen("shop-2", eip);
        String node = awaitPolicyStatus("shop", "node");
        List<String> pods = List.of("shop-1", "shop-2");
        long start = System.nanoTime();
        List<Prober> probers = new ArrayList<>();
        try (EchoConnection flow = openFlow("shop-1", eip)) {
            for (String pod : pods) {
                probers.add(Prober.start(testbed.pod(pod).netns(), testbed.externalAddress(), testbed.echoPort(),
                        Duration.ofMillis(10), Duration.ofSeconds(1)));
            }
            Waits.until("both pods' probes to be answered from " + eip, DEADLINE, () -> seenSince(probers, start));
            List<String> nodes = new ArrayList<>();
            for (String gateway : List.of("node2", "node3")) {
                ManagedProcess old = cluster.agent(gateway);
                long stopAt = System.nanoTime();
                cluster.stopAgent(gateway);
                assertThat(Files.readString(old.logFile())).as("the stopped agent's log").contains("Lease marked restarting=true");
                long stopped = System.nanoTime();
                ManagedProcess agent = cluster.startAgent(gateway);
                long started = System.nanoTime();
                // as a DaemonSet's rolling update waits for the new pod, the next restart waits for this agent's first renewal
                long firstRenewalMs = firstRenewalMs(agent);
                Waits.until("probes answered after the restart of " + gateway, DEADLINE, () -> seenSince(probers, started));
                nodes.add(awaitPolicyStatus("shop", "node"));
                System.out.println("BENCHMARK e2e.rolling_upgrade." + gateway + ".sigterm_exit_ms="
                        + (stopped - stopAt) / 1_000_000 + " start_to_first_renewal_ms=" + firstRenewalMs
                        + " (SIGTERM to exit; process start to first Lease renewal, production JVM flags)");
                assertThat(flow.request(Duration.ofSeconds(5)).address()).as("the long-lived flow after restarting %s", gateway)
                        .isEqualTo(eip);
            }
            long settled = System.nanoTime();
            Waits.until("a few more seconds of probes", DEADLINE,
                    () -> seenSince(probers, settled + Duration.ofSeconds(6).toNanos()));

            Map<String, Map<String, Long>> sources = new TreeMap<>();
            for (int i = 0; i < pods.size(); i++) {
                List<Prober.Answer> answers = probers.get(i).answersSince(start);
                sources.put(pods.get(i), answers.stream().collect(Collectors.groupingBy(Prober.Answer::address,
                        TreeMap::new, Collectors.counting())));
                System.out.println("BENCHMARK e2e.rolling_upgrade." + pods.get(i) + ".longest_gap_ms="
                        + longestGapMs(answers) + " answers=" + answers.size() + " by source " + sources.get(pods.get(i)));
            }
            assertThat(sources).allSatisfy((pod, bySource) ->
                    assertThat(bySource.keySet()).as("sources seen from %s", pod).containsOnly(eip));
            assertThat(nodes).as("the node carrying shop after each restart").containsOnly(node);
            assertThat(cluster.controller().logTail(100_000)).as("the controller's log")
                    .doesNotContain("HeartbeatTimeout", "moved from");
        } finally {
            probers.forEach(Prober::close);
        }
    }

    private static final Pattern FIRST_RENEWAL = Pattern.compile("first heartbeat renewal (-?\\d+) ms after the process started");

    /** Waits for the agent's log line of its first Lease renewal; returns the time it reports since its process started. */
    private static long firstRenewalMs(ManagedProcess agent) {
        long[] ms = {-1};
        Waits.until(agent.name() + " to renew its Lease once", DEADLINE, () -> {
            Matcher m = FIRST_RENEWAL.matcher(Files.readString(agent.logFile()));
            if (m.find()) {
                ms[0] = Long.parseLong(m.group(1));
                return true;
            }
            return false;
        });
        return ms[0];
    }

    private boolean seenSince(List<Prober> probers, long launchedAfter) {
        return probers.stream().allMatch(p -> p.answersSince(launchedAfter).stream().anyMatch(a -> a.address().equals(eip)));
    }

    private static long longestGapMs(List<Prober.Answer> answers) {
        long longest = 0;
        for (int i = 1; i < answers.size(); i++) {
            longest = Math.max(longest, answers.get(i).answered() - answers.get(i - 1).answered());
        }
        return longest / 1_000_000;
    }
}
