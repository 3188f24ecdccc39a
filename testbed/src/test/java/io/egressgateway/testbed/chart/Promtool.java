package io.egressgateway.testbed.chart;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * promtool for the alert tests: the binary {@code PROMTOOL} names (bin/run-tests and CI set it from
 * bin/promtool-tool). Unset, the tests that need it skip and say how to run them.
 */
final class Promtool {
    private Promtool() {
    }

    static Path binary() {
        String given = System.getenv("PROMTOOL");
        assumeTrue(given != null && !given.isBlank(), "skipped: PROMTOOL is not set; run with PROMTOOL=$(bin/promtool-tool"
                + " | tail -1) (bin/run-tests sets it) to run promtool check/test rules");
        Path binary = Path.of(given);
        assumeTrue(Files.isExecutable(binary), "skipped: PROMTOOL=" + given + " is not an executable file");
        return binary;
    }

    static ProcessRunner.Result run(Object... args) {
        List<String> argv = new ArrayList<>(List.of(binary().toString()));
        for (Object a : args) {
            argv.add(a.toString());
        }
        return ProcessRunner.tryRun(argv, Duration.ofMinutes(2));
    }

    static ProcessRunner.Result run(List<Path> files, String... args) {
        List<Object> all = new ArrayList<>(List.of((Object[]) args));
        all.addAll(files);
        return run(all.toArray());
    }
}
