package io.egressgateway.testbed.container;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * podman as the testbed's container runtime (docs/image.md): the storage of bin/image-build (vfs),
 * runc (crun fails on these machines) and explicit rlimits (podman's default nofile is above this
 * machine's hard limit, which runc then cannot set): the testbed's own hard limits, as a CRI runtime
 * passes its own to its containers. Every container carries the label {@code io.egressgateway.testbed.run=<prefix>}.
 */
public final class Podman {
    private static final Logger LOG = LoggerFactory.getLogger(Podman.class);
    public static final String RUN_LABEL = "io.egressgateway.testbed.run";
    /**
     * runc cannot set RLIMIT_NPROC to 65536 on these machines (EPERM, although the hard limit is above it);
     * 32768 works and is far above what a JVM of the product starts.
     */
    private static final long NPROC_CAP = 32_768;
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(20);

    private Podman() {
    }

    /** {@code podman} with the image's storage. */
    public static List<String> cli(String... args) {
        List<String> argv = new ArrayList<>(List.of("podman", "--storage-driver", "vfs"));
        argv.addAll(Arrays.asList(args));
        return argv;
    }

    /** {@code podman run} (attached: its output is the container's) with the runtime and rlimits of the testbed. */
    public static List<String> run() {
        return cli("run", "--runtime", "runc", "--log-driver", "k8s-file",
                "--ulimit", "nofile=" + hardLimit("Max open files", 1_048_576) + ":" + hardLimit("Max open files", 1_048_576),
                "--ulimit", "nproc=" + hardLimit("Max processes", NPROC_CAP) + ":" + hardLimit("Max processes", NPROC_CAP));
    }

    /**
     * The image of the current jars: bin/image-build (which reuses its cached base and application
     * layers when nothing changed, in seconds) with {@code --no-archives}; returns its reference.
     */
    public static String ensureImage() {
        Path script = ProjectPaths.find("bin/image-build");
        if (script == null) {
            throw new IllegalStateException("bin/image-build not found: cannot build the container image");
        }
        long t0 = System.nanoTime();
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of(script.toString(), "--no-archives"), BUILD_DEADLINE);
        if (!r.ok()) {
            throw new IllegalStateException("bin/image-build failed: " + r.stderr().strip() + "\n" + r.stdout().strip());
        }
        String ref = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        LOG.info("testbed: image {} ready in {} ms ({})", ref, (System.nanoTime() - t0) / 1_000_000,
                r.stderr().strip().replace('\n', ';'));
        return ref;
    }

    /** The image's configured user ("" when unset: root). */
    public static String imageUser(String image) {
        return ProcessRunner.run(cli("image", "inspect", "--format", "{{.Config.User}}", image)).stdout().strip();
    }

    /** Removes (forcibly) every container of run {@code prefix}. */
    public static void removeRun(String prefix) {
        remove(ids("label=" + RUN_LABEL + "=" + prefix));
    }

    /** Removes the containers of every run for which {@code alive} says no; returns their run prefixes. */
    public static List<String> removeOrphans(Predicate<String> alive) {
        if (!ProcessRunner.tryRun(List.of("sh", "-c", "command -v podman"), Duration.ofSeconds(5)).ok()) {
            return List.of();
        }
        ProcessRunner.Result r = ProcessRunner.tryRun(cli("ps", "-a", "--filter", "label=" + RUN_LABEL,
                "--format", "{{.ID}} {{index .Labels \"" + RUN_LABEL + "\"}}"), Duration.ofSeconds(30));
        List<String> dead = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String line : r.stdout().strip().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && !alive.test(f[1])) {
                ids.add(f[0]);
                if (!dead.contains(f[1])) {
                    dead.add(f[1]);
                }
            }
        }
        remove(ids);
        return dead;
    }

    private static List<String> ids(String filter) {
        ProcessRunner.Result r = ProcessRunner.tryRun(cli("ps", "-a", "-q", "--filter", filter), Duration.ofSeconds(30));
        return r.stdout().strip().lines().filter(l -> !l.isBlank()).toList();
    }

    private static void remove(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<String> argv = cli("rm", "-f", "-t", "0");
        argv.addAll(ids);
        ProcessRunner.Result r = ProcessRunner.tryRun(argv, Duration.ofSeconds(60));
        if (!r.ok()) {
            LOG.warn("testbed: podman rm {} failed: {}", ids, r.stderr().strip());
        }
    }

    /** The hard limit {@code name} of this process (/proc/self/limits), at most {@code cap}. */
    static long hardLimit(String name, long cap) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String hard = line.substring(name.length()).trim().split("\\s+")[1];
                    return hard.equals("unlimited") ? cap : Math.min(cap, Long.parseLong(hard));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("testbed: cannot read {} from /proc/self/limits: {}", name, e.toString());
        }
        return 4096;
    }
}
