package io.egressgateway.testbed.chart;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * helm for the chart tests: {@code HELM} when set, else the binary {@code bin/helm-tool} builds from
 * testbed/helm once per machine (about a minute and a half). Where it cannot be built (no Go, no
 * module proxy) the tests skip with helm-tool's message.
 */
public final class Helm {
    public static final String RELEASE = "egressgateway";
    private static Path binary;

    private Helm() {
    }

    public static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        String given = System.getenv("HELM");
        if (given != null && !given.isBlank()) {
            binary = Path.of(given);
            return binary;
        }
        Path script = ProjectPaths.find("bin/helm-tool");
        assumeTrue(script != null, "skipped: bin/helm-tool not found: cannot build helm");
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of(script.toString()), Duration.ofMinutes(15));
        assumeTrue(r.ok(), () -> "skipped: helm could not be built here (bin/helm-tool exit " + r.exitCode() + "): "
                + r.stderr().strip());
        String[] lines = r.stdout().strip().split("\n");
        binary = Path.of(lines[lines.length - 1].strip());
        assumeTrue(Files.isExecutable(binary), "skipped: bin/helm-tool printed no executable helm: " + binary);
        return binary;
    }

    public static Path chart() {
        return ProjectPaths.find("deploy/chart/egressgateway");
    }

    /** The Kubernetes version the chart is rendered for: the testbed's (testbed/kube/go.mod). */
    public static String kubeVersion() throws Exception {
        return Files.readAllLines(ProjectPaths.find("testbed/kube/go.mod")).stream().map(String::strip)
                .filter(l -> l.startsWith("k8s.io/kubernetes v")).map(l -> l.split("\\s+")[1]).findFirst().orElseThrow();
    }

    public static ProcessRunner.Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary().toString()));
        argv.addAll(List.of(args));
        return ProcessRunner.tryRun(argv, Duration.ofMinutes(2));
    }

    /** {@code helm template} of the whole chart in {@code namespace} with {@code --set} values. */
    public static String template(String namespace, String... sets) throws Exception {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, chart().toString(), "--namespace", namespace,
                "--kube-version", kubeVersion()));
        for (String s : sets) {
            args.addAll(List.of("--set", s));
        }
        ProcessRunner.Result r = run(args.toArray(String[]::new));
        if (!r.ok()) {
            throw new AssertionError("helm " + String.join(" ", args) + " failed: " + r.stderr());
        }
        return r.stdout();
    }
}
