package io.egressgateway.testbed.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.egressgateway.testbed.netns.RunRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The containers of a crashed run are removed by the next testbed (as its namespaces are), those of a
 * live run are kept. Uses only containers it starts, under run prefixes of its own.
 */
class ContainerLeftoversNetnsIT {

    @Test
    void containersOfADeadRunAreRemovedAndThoseOfALiveRunKept() {
        Root.assumeRoot();
        String image = Podman.ensureImage();
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        String dead = "egw-dead" + tag + "-";
        String live = "egw-live" + tag + "-";
        try {
            start(dead, image);
            start(live, image);
            RunRegistry registry = new RunRegistry(RunRegistry.DEFAULT_DIR);
            List<String> removed = Podman.removeOrphans(p -> p.equals(live) || registry.isLive(p));
            assertThat(removed).as("runs whose containers were removed").contains(dead).doesNotContain(live);
            assertThat(names(dead)).as("containers of the dead run").isEmpty();
            assertThat(names(live)).as("containers of the live run").containsExactly(live + "sleeper");
        } finally {
            Podman.removeRun(dead);
            Podman.removeRun(live);
        }
        assertThat(names(live)).as("after removeRun").isEmpty();
    }

    private static void start(String prefix, String image) {
        List<String> argv = new ArrayList<>(Podman.run());
        argv.addAll(List.of("-d", "--name", prefix + "sleeper", "--label", Podman.RUN_LABEL + "=" + prefix,
                "--network", "none", "--entrypoint", "sleep", image, "300"));
        ProcessRunner.tryRun(argv, Duration.ofMinutes(2)).orThrow();
    }

    private static List<String> names(String prefix) {
        return ProcessRunner.run(Podman.cli("ps", "-a", "--filter", "label=" + Podman.RUN_LABEL + "=" + prefix,
                "--format", "{{.Names}}")).stdout().strip().lines().filter(l -> !l.isBlank()).toList();
    }
}
