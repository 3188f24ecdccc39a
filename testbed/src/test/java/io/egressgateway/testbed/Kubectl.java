package io.egressgateway.testbed;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The testbed's built kubectl pointed at one kubeconfig, with its own discovery cache. */
public final class Kubectl {
    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;

    public Kubectl(Path binary, Path kubeconfig, Path cacheDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** kubectl as the testbed's admin. */
    public static Kubectl admin(Testbed tb, Path cacheDir) {
        return new Kubectl(tb.controlPlane().tools().kubectl(), tb.kubeconfig(), cacheDir);
    }

    public ProcessRunner.Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString()));
        argv.addAll(List.of(args));
        return ProcessRunner.tryRun(argv, Duration.ofSeconds(60));
    }

    /** Writes {@code yaml} to a file and runs {@code kubectl <verb> [flags] -f <file>}. */
    public ProcessRunner.Result withFile(String yaml, String... verbAndFlags) throws Exception {
        Path f = Files.createTempFile(cacheDir, "manifest", ".yaml");
        Files.writeString(f, yaml);
        List<String> args = new ArrayList<>(List.of(verbAndFlags));
        args.add("-f");
        args.add(f.toString());
        return run(args.toArray(String[]::new));
    }
}
