package io.egressgateway.testbed.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crashed run's namespaces are removed by the next run; a live run's are not; a second sandbox refuses. */
class LeftoverCleanupNetnsIT {

    @TempDir
    Path state;

    @Test
    void namespacesOfADeadOwnerAreRemovedAndThoseOfALiveOwnerKept() throws Exception {
        Root.assumeRoot();
        RunRegistry registry = new RunRegistry(state);
        String dead = registry.newPrefix();
        String live = registry.newPrefix();
        Process gone = new ProcessBuilder("sleep", "60").start();
        String goneRecord = gone.pid() + " " + startTimeOf(gone.pid());
        gone.destroyForcibly().waitFor();
        Files.writeString(state.resolve(dead + ".owner"), goneRecord);
        registry.claim(live);
        Netns.create(dead + "node1");
        Netns.create(dead + "pod-x");
        Netns.create(live + "node1");
        Process inside = new ProcessBuilder(ProcessRunner.inNetns(dead + "node1", List.of("sleep", "300"))).start();
        try {
            List<String> removed = registry.removeLeftovers();

            assertThat(removed).containsExactlyInAnyOrder(dead + "node1", dead + "pod-x");
            assertThat(Netns.list()).doesNotContain(dead + "node1", dead + "pod-x").contains(live + "node1");
            assertThat(inside.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(Files.exists(state.resolve(dead + ".owner"))).isFalse();
            assertThat(Files.exists(state.resolve(live + ".owner"))).isTrue();
        } finally {
            inside.destroyForcibly();
            Netns.delete(live + "node1");
            Netns.delete(dead + "node1");
            Netns.delete(dead + "pod-x");
        }
    }

    @Test
    void aSecondExclusiveTestbedRefusesAndLeavesTheFirstAlone() throws Exception {
        Root.assumeRoot();
        TestbedOptions options = TestbedOptions.builder().nodes(1).gatewayNodes(1).exclusive(true).stateDir(state)
                .crdDir(null).build();
        try (Testbed first = Testbed.build(options)) {
            assertThatThrownBy(() -> Testbed.build(options)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another sandbox is running (pid " + ProcessHandle.current().pid() + ")");
            assertThat(Netns.list()).contains(first.nodeNetns("node1"));
            assertThat(first.client().nodes().withName("node1").get()).isNotNull();
        }
        Optional<AutoCloseable> again = new RunRegistry(state).tryExclusive("sandbox");
        assertThat(again).isPresent();
        again.get().close();
    }

    @Test
    void aPortInUseFailsTheBuildAndLeavesNothing() throws Exception {
        Root.assumeRoot();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TestbedOptions options = TestbedOptions.builder().nodes(1).gatewayNodes(1).stateDir(state)
                    .apiPort(taken.getLocalPort()).build();
            assertThatThrownBy(() -> Testbed.build(options)).hasMessageContaining("is in use");
            // The relay to the API server fails before the node namespaces are made; whatever was made is gone.
            assertThat(Netns.list()).noneMatch(ns -> ns.matches("egw-[a-z0-9]{6}-(fabric|cp)") && !isOwnedByALiveRun(ns));
            try (var files = Files.list(state)) {
                assertThat(files.filter(f -> f.toString().endsWith(".owner"))).isEmpty();
            }
        }
    }

    private static boolean isOwnedByALiveRun(String ns) {
        String prefix = ns.substring(0, "egw-xxxxxx-".length());
        return Files.exists(RunRegistry.DEFAULT_DIR.resolve(prefix + ".owner"));
    }

    private static String startTimeOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    }
}
