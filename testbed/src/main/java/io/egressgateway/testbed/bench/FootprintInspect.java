package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the footprint scenario does beyond its reading, for looking into an agent's heap (docs/benchmarks.md,
 * "Issue 18: the agent's live heap"): {@code dumpDir} receives every agent's whole live class histogram
 * ({@code agent-<node>.histo}), and {@code hold} keeps the testbed that long after the reading so that
 * {@code jcmd}/{@code jstat} can be run by hand on the printed pids. Both off by default.
 */
record FootprintInspect(Path dumpDir, Duration hold) {

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(120);

    static FootprintInspect none() {
        return new FootprintInspect(null, Duration.ZERO);
    }

    FootprintInspect {
        if (hold == null || hold.isNegative()) {
            throw new IllegalArgumentException("hold must be zero or positive, was " + hold);
        }
    }

    /** {@code agents}: node name to the agent's pid. */
    void apply(Map<String, Long> agents, PrintStream log) throws IOException, InterruptedException {
        if (dumpDir != null) {
            Files.createDirectories(dumpDir);
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            for (Map.Entry<String, Long> a : agents.entrySet()) {
                ProcessRunner.Result r = ProcessRunner.tryRun(
                        List.of(jcmd, Long.toString(a.getValue()), "GC.class_histogram"), JCMD_TIMEOUT);
                Path out = dumpDir.resolve("agent-" + a.getKey() + ".histo");
                Files.writeString(out, r.exitCode() == 0 ? r.stdout() : "jcmd failed (exit " + r.exitCode() + "): "
                        + r.stdout() + r.stderr());
                log.println("bench: footprint: wrote " + out);
            }
        }
        if (!hold.isZero()) {
            log.printf("bench: footprint: holding the testbed %d s; agents (node=pid): %s%n", hold.toSeconds(), agents);
            Thread.sleep(hold.toMillis());
        }
    }
}
