package io.egressgateway.testbed.kube;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the testbed's Kubernetes binaries are: {@code bin/kube-tools} builds them from the Go module
 * {@code testbed/kube} once per machine and prints their directory; {@code TESTBED_KUBE_BIN} (or the
 * system property {@code egw.kube.bin}) names another directory holding the same four binaries.
 */
public record KubeTools(Path dir) {
    public static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

    public KubeTools {
        for (String b : BINARIES) {
            if (!Files.isExecutable(dir.resolve(b))) {
                throw new IllegalStateException("no executable " + b + " in " + dir + " (built by bin/kube-tools)");
            }
        }
    }

    /** The binaries, built first when this machine has none for the current pin (minutes, once). */
    public static KubeTools locate() {
        String given = System.getProperty("egw.kube.bin", System.getenv("TESTBED_KUBE_BIN"));
        if (given != null && !given.isBlank()) {
            return new KubeTools(Path.of(given));
        }
        Path script = ProjectPaths.find("bin/kube-tools");
        if (script == null) {
            throw new IllegalStateException("bin/kube-tools not found from " + Path.of("").toAbsolutePath()
                    + ": cannot locate or build kube-apiserver, etcd and kubectl");
        }
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of(script.toString()), Duration.ofMinutes(40));
        if (!r.ok()) {
            throw new IllegalStateException("bin/kube-tools failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
        String[] lines = r.stdout().strip().split("\n");
        return new KubeTools(Path.of(lines[lines.length - 1].strip()));
    }

    public Path etcd() {
        return dir.resolve("etcd");
    }

    public Path apiServer() {
        return dir.resolve("kube-apiserver");
    }

    public Path controllerManager() {
        return dir.resolve("kube-controller-manager");
    }

    public Path kubectl() {
        return dir.resolve("kubectl");
    }
}
