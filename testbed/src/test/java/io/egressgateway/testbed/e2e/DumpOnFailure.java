package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.cluster.EgressCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** On a failed end-to-end test, prints every node's datapath and the processes' last log lines, and keeps the whole logs. */
final class DumpOnFailure implements TestWatcher {
    interface HasCluster {
        EgressCluster cluster();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Object test = context.getTestInstance().orElse(null);
        if (test instanceof HasCluster h && h.cluster() != null) {
            dump(context.getDisplayName(), cause, h.cluster().testbed(), h.cluster());
        }
    }

    static void dump(String what, Throwable cause, io.egressgateway.testbed.Testbed testbed, EgressCluster cluster) {
        System.err.println("=== " + what + " failed: " + cause);
        if (testbed != null) {
            System.err.println(testbed.dumpAll());
        }
        if (cluster != null) {
            System.err.println(cluster.logs(80));
        }
        if (testbed != null) {
            keepLogs(what, testbed.runDir());
        }
    }

    /**
     * Copies every process's whole log to {@code target/e2e-logs/<what>/}: the run directory is
     * removed at teardown, and the printed tails are often drowned by one process's retries.
     */
    private static void keepLogs(String what, Path runDir) {
        Path into = Path.of("target", "e2e-logs", what.replaceAll("[^A-Za-z0-9_.-]", "_"));
        try (Stream<Path> logs = Files.list(runDir)) {
            if (Files.isDirectory(into)) {
                try (Stream<Path> old = Files.list(into)) {
                    for (Path f : old.toList()) {
                        Files.delete(f); // a previous run's logs would mix with these
                    }
                }
            }
            Files.createDirectories(into);
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, into.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            System.err.println("=== whole logs kept in " + into.toAbsolutePath());
        } catch (IOException e) {
            System.err.println("=== could not keep the logs of " + runDir + ": " + e);
        }
    }
}
