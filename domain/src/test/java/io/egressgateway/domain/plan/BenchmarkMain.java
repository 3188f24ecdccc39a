package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the planner benchmarks with short iterations (one fork, 3 x 1 s warm-up, 5 x 1 s measured):
 * {@code mvn -B -pl domain -am -Pbench -DskipTests verify}. See docs/benchmarks.md.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("io\\.egressgateway\\.domain\\.plan\\..*Benchmark")
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xmx1g")
                .build();
        new Runner(options).run();
        cpuTimes();
    }

    /**
     * JMH reports wall-clock time, which a loaded machine inflates; this table reports the CPU time
     * of the benchmark thread per pass (median of 100 passes after 200 warm-up passes).
     */
    static void cpuTimes() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.println("role      pass     cpu-ms(median)  cpu-ms(max)");
        for (String role : new String[] {"worker", "gateway"}) {
            NodeSnapshot s = PlanAndDiffBenchmark.snapshotFor(role);
            Datapath steady = DatapathPlanner.plan(s);
            for (String pass : new String[] {"steady", "initial"}) {
                Datapath actual = pass.equals("steady") ? steady : Datapath.empty();
                long[] t = new long[100];
                for (int i = -200; i < t.length; i++) {
                    long start = mx.getCurrentThreadCpuTime();
                    DatapathDiff.between(DatapathPlanner.plan(s), actual);
                    if (i >= 0) {
                        t[i] = mx.getCurrentThreadCpuTime() - start;
                    }
                }
                java.util.Arrays.sort(t);
                System.out.printf("%-9s %-8s %15.2f %12.2f%n", role, pass, t[t.length / 2] / 1e6, t[t.length - 1] / 1e6);
            }
        }
    }
}
