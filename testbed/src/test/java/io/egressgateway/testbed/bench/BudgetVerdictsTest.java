package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The budget table: one line per budget, judged on the figures a run measured, "not run" for the rest. */
class BudgetVerdictsTest {
    private static final Table NO_TABLE = new Table("t", List.of("a"), List.of(), List.of());

    @Test
    void aRunOfNothingListsEveryBudgetAsNotRun() {
        Table t = BenchMain.verdicts(new BenchMain.Report(null, null, null, null, List.of()), Duration.ofSeconds(5));
        assertThat(t.rows()).hasSize(11).allSatisfy(r -> assertThat(r.get(3)).isEqualTo("not run"));
        assertThat(t.rows()).extracting(r -> r.get(0)).anyMatch(b -> b.startsWith("throughput"))
                .anyMatch(b -> b.startsWith("convergence")).anyMatch(b -> b.startsWith("agent RSS"));
    }

    @Test
    void throughputIsJudgedOnTheLastSettingMeasured() {
        ThroughputBench.Setting asBuilt = setting("GRO off", List.of(10.0), List.of(7.0));
        ThroughputBench.Setting nicLike = setting("GRO on", List.of(10.0, 10.0, 9.0), List.of(9.6, 9.5, 9.0));
        Table t = BenchMain.verdicts(new BenchMain.Report(new ThroughputBench.Result(List.of(asBuilt, nicLike),
                NO_TABLE, List.of()), null, null, null, List.of()), Duration.ofSeconds(5));
        assertThat(t.rows().get(0)).containsExactly("throughput, gateway / direct, one TCP stream", ">= 0.95",
                "0.95 (GRO on)", "PASS");

        Table failed = BenchMain.verdicts(new BenchMain.Report(new ThroughputBench.Result(List.of(nicLike, asBuilt),
                NO_TABLE, List.of()), null, null, null, List.of()), Duration.ofSeconds(5));
        assertThat(failed.rows().get(0)).containsExactly("throughput, gateway / direct, one TCP stream", ">= 0.95",
                "0.70 (GRO off)", "FAIL");
    }

    @Test
    void aSettingMeasuredAfterTheJudgedOneIsReportedButDoesNotMoveTheVerdict() {
        ThroughputBench.Setting asBuilt = setting("GRO off", List.of(10.0), List.of(7.0));
        ThroughputBench.Setting nicLike = setting("GRO on", List.of(10.0), List.of(8.0));
        ThroughputBench.Setting separate = setting("threaded", List.of(10.0), List.of(9.9));
        Table t = BenchMain.verdicts(new BenchMain.Report(new ThroughputBench.Result(List.of(asBuilt, nicLike, separate), 1,
                NO_TABLE, List.of()), null, null, null, List.of()), Duration.ofSeconds(5));
        assertThat(t.rows().get(0)).containsExactly("throughput, gateway / direct, one TCP stream", ">= 0.95",
                "0.80 (GRO on)", "FAIL");
        assertThat(t.rows().get(1)).as("not the separate-machines setting: its line is not run")
                .endsWith("-", "not run");
    }

    @Test
    void theSeparateMachinesSettingHasItsOwnLine() {
        ThroughputBench.Setting nicLike = setting("GRO on", List.of(10.0), List.of(8.0));
        ThroughputBench.Setting separate = setting(ThroughputBench.SEPARATE, List.of(10.0, 9.0, 8.0),
                List.of(9.5, 9.0, 9.0));
        Table t = BenchMain.verdicts(new BenchMain.Report(new ThroughputBench.Result(List.of(nicLike, separate), 0,
                NO_TABLE, List.of()), null, null, null, List.of()), Duration.ofSeconds(5));
        assertThat(t.rows().get(0)).endsWith("0.80 (GRO on)", "FAIL");
        assertThat(t.rows().get(1)).containsExactly("throughput, gateway / direct, one TCP stream, the gateway's hop on"
                + " its own CPU", ">= 0.95", "1.00 (" + ThroughputBench.SEPARATE + ")", "PASS");
    }

    @Test
    void podAddedSplitsTheAgentsShareOffTheControllers() {
        PodAddedBench.Result pa = new PodAddedBench.Result(List.of(250.0, 280.0), List.of(200.0, 350.0),
                List.of(100.0, 100.0), List.of(100.0, 200.0), List.of(150.0, 200.0), Duration.ofMillis(10));
        List<List<String>> rows = BenchMain.verdicts(new BenchMain.Report(null, pa, null, null, List.of()),
                Duration.ofSeconds(5)).rows();
        assertThat(rows.get(2)).endsWith("280 ms", "PASS");
        assertThat(rows.get(3)).as("agents: 250-100, 280-200").endsWith("150 ms", "FAIL");
        assertThat(rows.get(4)).endsWith("350 ms", "FAIL");
        assertThat(rows.get(5)).as("agents: 200-150, 350-200").endsWith("150 ms", "FAIL");
    }

    @Test
    void theSteadyPassIsJudgedOnTheSlowestAgentAfterConvergence() {
        assertThat(steadyRow(Map.of("node1", 40.0, "node2", 95.5))).endsWith("95.50 ms", "PASS");
        assertThat(steadyRow(Map.of("node1", 40.0, "node2", 120.0))).endsWith("120 ms", "FAIL");
        assertThat(steadyRow(Map.of("node1", -1.0))).as("no steady pass measured").endsWith("FAIL");
    }

    private static List<String> steadyRow(Map<String, Double> wallMs) {
        ConvergenceBench.Result cv = new ConvergenceBench.Result(1000, 10_000, Duration.ofSeconds(170),
                Duration.ofSeconds(6), Duration.ofSeconds(7), Map.of(), List.of(), "", "", Map.of(), List.of(), NO_TABLE,
                wallMs);
        return BenchMain.verdicts(new BenchMain.Report(null, null, null, null, cv, List.of()), Duration.ofSeconds(5))
                .rows().stream().filter(r -> r.get(0).startsWith("steady agent pass")).findFirst().orElseThrow();
    }

    @Test
    void failoverGoalFollowsTheEvictionTimeout() {
        List<FailoverBench.Run> runs = List.of(new FailoverBench.Run("node2", "node3", 2900, 1, 0));
        BenchMain.Report r = new BenchMain.Report(null, null, runs, null, List.of());
        assertThat(BenchMain.verdicts(r, Duration.ofSeconds(2)).rows().get(6)).endsWith("2900 ms", "PASS");
        assertThat(BenchMain.verdicts(r, Duration.ofMillis(1500)).rows().get(6)).endsWith("2900 ms", "FAIL");
    }

    @Test
    void evictionTimeoutComesFromTheSettingsAndABadOneIsRefused() {
        BenchMain b = new BenchMain();
        new CommandLine(b).parseArgs("--set", "EGW_HEARTBEAT_EVICTIONTIMEOUT=1500ms");
        assertThat(b.evictionTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(new BenchMain().evictionTimeout()).isEqualTo(Duration.ofSeconds(5));
        BenchMain bad = new BenchMain();
        new CommandLine(bad).parseArgs("--set", "EGW_HEARTBEAT_EVICTIONTIMEOUT=soon");
        assertThatThrownBy(bad::evictionTimeout).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"soon\"");
    }

    private static ThroughputBench.Setting setting(String name, List<Double> direct, List<Double> gateway) {
        return new ThroughputBench.Setting(name, runs(direct), runs(gateway), runs(direct));
    }

    private static ThroughputBench.Runs runs(List<Double> gbit) {
        return new ThroughputBench.Runs(gbit, gbit.stream().map(g -> 1000 / g).toList(), Set.of("192.0.2.200"));
    }
}
