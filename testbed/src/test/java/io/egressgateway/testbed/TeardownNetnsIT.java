package io.egressgateway.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.netns.Netns;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.egressgateway.testbed.netns.RunRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A testbed in a child JVM: Ctrl-C tears it down; a SIGKILL leaves it for the next run to remove. */
class TeardownNetnsIT {

    @TempDir
    Path state;

    private record Child(Process process, String prefix, long agentPid, Path log) {
        /** The child's log (its testbed's teardown steps), for a failure's message. */
        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (java.io.IOException e) {
                return "<cannot read " + log + ": " + e + ">";
            }
        }
    }

    private Child start() throws Exception {
        Path log = Files.createTempFile(state, "child", ".log");
        // env --default-signal=INT: a suite started in the background (nohup, `cmd &` in a script) hands its
        // children SIGINT ignored, and a JVM that starts with SIGINT ignored installs no handler for it, so
        // the Ctrl-C this test sends would never reach the child's shutdown hook (it failed so whenever the
        // suite ran in the background, never in a terminal or CI)
        Process p = new ProcessBuilder("env", "--default-signal=INT", "java", "-cp",
                System.getProperty("java.class.path"), TestbedProbe.class.getName(), state.toString())
                .redirectError(log.toFile()).start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return "exited without READY";
            } catch (Exception e) {
                return e.toString();
            }
        });
        String line = ready.get(120, TimeUnit.SECONDS);
        assertThat(line).startsWith("READY ");
        String[] f = line.split(" ");
        return new Child(p, f[1], Long.parseLong(f[2]), log);
    }

    @Test
    void ctrlCTearsEverythingDown() throws Exception {
        Root.assumeRoot();
        Child c = start();
        assertThat(Netns.list()).anyMatch(ns -> ns.startsWith(c.prefix()));

        ProcessRunner.run(List.of("kill", "-INT", Long.toString(c.process().pid())));

        assertThat(c.process().waitFor(60, TimeUnit.SECONDS))
                .as("the child ended within 60 s of SIGINT; its log:%n%s", c.logTail()).isTrue();
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(c.prefix()));
        assertThat(ProcessHandle.of(c.agentPid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(Files.exists(state.resolve(c.prefix() + ".owner"))).isFalse();
    }

    @Test
    void aKilledRunIsRemovedByTheNextOneWithTheProcessesItStarted() throws Exception {
        Root.assumeRoot();
        Child c = start();
        c.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        try {
            assertThat(Netns.list()).anyMatch(ns -> ns.startsWith(c.prefix()));
            assertThat(ProcessHandle.of(c.agentPid()).map(ProcessHandle::isAlive)).contains(true);

            List<String> removed = new RunRegistry(state).removeLeftovers();

            assertThat(removed).contains(c.prefix() + "node1", c.prefix() + "pod-p", c.prefix() + "external",
                    c.prefix() + "fabric");
            assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(c.prefix()));
            ProcessHandle.of(c.agentPid()).ifPresent(ph -> ph.onExit().orTimeout(10, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(c.agentPid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(Files.exists(state.resolve(c.prefix().substring(0, c.prefix().length() - 1)))).isFalse();
        } finally {
            Netns.list().stream().filter(ns -> ns.startsWith(c.prefix())).forEach(Netns::delete);
            ProcessHandle.of(c.agentPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
