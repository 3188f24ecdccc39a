package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.Root;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark harness works: {@code egressgateway bench --smoke} measures every scenario on a real
 * testbed with a few samples (about a minute). Asserts what was measured through which path, never
 * how fast: the numbers belong in docs/benchmarks.md.
 */
class BenchSmokeE2EIT {

    @Test
    void smokeRunMeasuresEveryScenarioOnTheRightPaths() throws Exception {
        Root.assumeRoot();
        BenchMain bench = new BenchMain();
        new CommandLine(bench).parseArgs("--smoke");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchMain.Report r = bench.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(r.throughput().directSeenFrom()).as("the direct path leaves through node1's masquerade")
                .containsExactly("192.0.2.11");
        assertThat(r.throughput().gatewaySeenFrom()).as("the gateway path leaves with the policy's EIP")
                .hasSize(1).allMatch(a -> a.startsWith("192.0.2.2"));
        assertThat(r.throughput().localSeenFrom()).as("the gateway node's own pod leaves with the same EIP")
                .isEqualTo(r.throughput().gatewaySeenFrom());
        assertThat(r.throughput().direct()).hasSize(1).allMatch(g -> g > 0);
        assertThat(r.throughput().local()).hasSize(1).allMatch(g -> g > 0);
        assertThat(r.throughput().gateway()).hasSize(1).allMatch(g -> g > 0);

        assertThat(r.podAdded().created()).hasSize(2);
        assertThat(r.podAdded().labelAdded()).hasSize(2);
        assertThat(r.podAdded().labelRemoved()).hasSize(2);

        assertThat(r.failover()).singleElement().satisfies(run -> {
            assertThat(List.of("node2", "node3")).contains(run.failed(), run.tookOver());
            assertThat(run.tookOver()).isNotEqualTo(run.failed());
        });

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("### Throughput", "### A pod joins a policy", "### Gateway failure", "ratio median(gateway)",
                "### Offload features", "### Budgets");
        List<String> underlays = r.throughput().settings().stream().map(ThroughputBench.Setting::underlay).toList();
        if (Offloads.ethtoolInstalled()) {
            assertThat(underlays).as("as built, NIC-like, and separate machines unless steering or pinning failed")
                    .startsWith("veths as built (GRO off)", ThroughputBench.NIC_LIKE).hasSizeBetween(2, 3);
            assertThat(underlays.subList(2, underlays.size())).allMatch(ThroughputBench.SEPARATE::equals);
            assertThat(r.throughput().verdict().underlay()).as("judged on NIC-like").isEqualTo(ThroughputBench.NIC_LIKE);
        } else {
            assertThat(underlays).containsExactly("veths as built (GRO off)");
        }
        assertThat(r.throughput().offloads().rows()).as("every device of the gateway path").hasSize(9)
                .allSatisfy(row -> assertThat(row.get(1)).doesNotEndWith("/?"));
        assertThat(r.tables()).hasSize(6); // throughput, offloads, pod-added, the controller during it, failover, budgets
        Table budgets = r.tables().get(r.tables().size() - 1);
        assertThat(budgets.rows()).filteredOn(row -> row.get(0).startsWith("agent RSS")).singleElement()
                .satisfies(row -> assertThat(row.get(3)).isEqualTo("not run"));
        assertThat(budgets.rows()).filteredOn(row -> row.get(0).startsWith("throughput")).hasSize(2)
                .allSatisfy(row -> assertThat(row.get(3)).isIn("PASS", "FAIL"));
    }

    /**
     * The footprint scenario works at a tiny scale (10 policies, 100 endpoints; its own testbed, about
     * a minute): every process is read and the agents programmed what was asked. No size is asserted.
     */
    @Test
    void footprintSmokeReadsEveryProcess() throws Exception {
        Root.assumeRoot();
        BenchMain bench = new BenchMain();
        new CommandLine(bench).parseArgs("--smoke", "--scenarios=footprint");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchMain.Report r = bench.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

        FootprintBench.Result f = r.footprint();
        assertThat(f.policies()).isEqualTo(10);
        assertThat(f.endpoints()).isEqualTo(100);
        assertThat(f.memory()).extracting(JvmMemory.Sample::process)
                .containsExactly("agent node1", "agent node2", "agent node3", "controller");
        assertThat(f.memory()).allSatisfy(m -> {
            assertThat(m.rssKiB()).isPositive();
            assertThat(m.peakRssKiB()).isGreaterThanOrEqualTo(m.rssKiB());
            assertThat(m.heapUsedKiB()).isPositive().isLessThanOrEqualTo(m.heapCommittedKiB());
            assertThat(m.metaspaceUsedKiB()).isPositive();
        });
        assertThat(f.agentFlags()).contains("-Xmx96m");
        assertThat(f.nodes()).allSatisfy(n -> {
            assertThat(n.sourceSetEntries()).isPositive();
            assertThat(n.passes()).as("the agent's metrics answered").isPositive();
        });
        assertThat(f.nodes()).as("the gateway carrying every policy holds every endpoint")
                .anySatisfy(n -> assertThat(n.sourceSetEntries()).isEqualTo(100));
        assertThat(f.histogram()).isNotEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("### Footprint at 10 policies and 100 endpoints");
        assertThat(r.throughput()).isNull();
    }
}
