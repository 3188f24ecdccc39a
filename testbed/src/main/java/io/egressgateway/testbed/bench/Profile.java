package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * perf profiles of one run of the direct and one of the gateway path ({@code bench --profile-dir}).
 * perf follows the sending thread only ({@code perf record -t}): the kernel forwards the stream
 * through the pod's, the node's, the bridge's and the gateway's namespaces in that thread's softirq,
 * so its profile is the path's cost without the rest of a shared machine. Each path leaves
 * {@code <path>.perf.data} and {@code <path>.txt} (the symbols by self time) in the directory.
 */
final class Profile {
    private Profile() {
    }

    /** Profiles one run per path into {@code dir}; the notes say what was written or why nothing was. */
    static List<String> paths(BenchBed bed, BulkSink sink, Duration each, Path dir) throws Exception {
        if (!ProcessRunner.tryRun(List.of("sh", "-c", "command -v perf"), Duration.ofSeconds(5)).ok()) {
            return List.of("no profile: perf is not installed (Debian package linux-perf)");
        }
        Files.createDirectories(dir);
        List<String> notes = new ArrayList<>();
        for (String[] p : new String[][] {{"direct", BenchBed.DIRECT}, {"gateway", BenchBed.SHOP}}) {
            Path data = dir.resolve(p[0] + ".perf.data");
            Process[] perf = new Process[1];
            BulkSender.Result r = BulkSender.send(bed.testbed.pod(p[1]).netns(), bed.testbed.externalAddress(),
                    sink.port(), each, tid -> perf[0] = tid < 0 ? null : start(tid, data, dir.resolve(p[0] + ".perf.log")));
            if (perf[0] == null) {
                notes.add("no profile of the " + p[0] + " path: perf did not start (see " + p[0] + ".perf.log)");
                continue;
            }
            perf[0].destroy(); // SIGTERM: perf record writes its data and exits
            perf[0].waitFor(30, TimeUnit.SECONDS);
            ProcessRunner.Result report = ProcessRunner.tryRun(List.of("perf", "report", "-i", data.toString(),
                    "--no-children", "--sort", "symbol", "--stdio", "-g", "none"), Duration.ofSeconds(120));
            Files.writeString(dir.resolve(p[0] + ".txt"), report.stdout());
            notes.add(String.format(Locale.ROOT, "profile of the %s path (%.2f Gbit/s, sending thread only): %s",
                    p[0], r.gbitPerSecond(), dir.resolve(p[0] + ".txt")));
        }
        return notes;
    }

    private static Process start(long tid, Path data, Path log) {
        try {
            return new ProcessBuilder("perf", "record", "-g", "-t", Long.toString(tid), "-o", data.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return null;
        }
    }
}
