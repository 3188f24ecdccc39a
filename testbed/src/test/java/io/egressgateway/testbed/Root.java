package io.egressgateway.testbed;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Skips a test with a clear message where it cannot make network namespaces. */
public final class Root {
    private Root() {
    }

    public static void assumeRoot() {
        ProcessRunner.Result id = ProcessRunner.tryRun(List.of("id", "-u"), Duration.ofSeconds(5));
        Assumptions.assumeTrue(id.ok() && id.stdout().trim().equals("0"),
                "not root: this test creates network namespaces and needs CAP_NET_ADMIN (CI runs it as root)");
    }
}
