package io.egressgateway.domain.plan.bench;

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
    }
}
