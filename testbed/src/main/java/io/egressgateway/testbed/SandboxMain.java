package io.egressgateway.testbed;

import io.egressgateway.testbed.cluster.SandboxScenario;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code egressgateway sandbox}: the whole cluster in network namespaces on this machine, the seed's
 * example applied, traffic sent, what the external host saw printed. Waits for Ctrl-C, then removes
 * everything; {@code --once} prints one line per check and exits 0 only when all passed.
 */
@Command(name = "egressgateway sandbox", mixinStandardHelpOptions = true,
        description = "Run a whole egress gateway cluster in network namespaces on this machine (needs root).")
public final class SandboxMain implements Callable<Integer> {
    @Option(names = "--once", description = "Run the checks, print them, tear down and exit (0 when all passed).")
    boolean once;

    @Option(names = "--backend", paramLabel = "nft|legacy", description = "iptables backend of the nodes (default: nft).")
    String backend = "nft";

    @Option(names = "--api-port", paramLabel = "PORT",
            description = "Port on 127.0.0.1 where kube-apiserver is reached (default: a free one).")
    int apiPort;

    @Option(names = "--containers", description = "Run the controller and the agents from the container image with podman,"
            + " as deploy/egressgateway.yaml runs them (builds the image when missing; docs/image.md).")
    boolean containers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SandboxMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!isRoot()) {
            System.err.println("sandbox: needs root. It creates network namespaces, veth pairs, a bridge and iptables"
                    + " rules inside them (never in this machine's own namespace), which needs CAP_NET_ADMIN."
                    + " Run: sudo bin/egressgateway sandbox");
            return 1;
        }
        installMissingTools();
        IptablesBackend b;
        try {
            b = IptablesBackend.parse(backend);
        } catch (IllegalArgumentException e) {
            System.err.println("sandbox: " + e.getMessage());
            return 2;
        }
        try (SandboxScenario scenario = SandboxScenario.start(b, apiPort, containers, System.out)) {
            boolean ok = scenario.runChecks();
            if (once) {
                return ok ? 0 : 1;
            }
            scenario.acceptPodsFromKubectl();
            scenario.printHowToExplore();
            System.out.println("\nsandbox: running; press Ctrl-C (or kill -INT/-TERM " + ProcessHandle.current().pid()
                    + ") to stop and remove everything.");
            new CountDownLatch(1).await();
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("sandbox: " + e.getMessage());
            return 1;
        }
    }

    private static boolean isRoot() {
        ProcessRunner.Result id = ProcessRunner.tryRun(List.of("id", "-u"), Duration.ofSeconds(5));
        return id.ok() && id.stdout().trim().equals("0");
    }

    /** The system tools the datapath and the testbed use, installed with apt-get when missing. */
    private static void installMissingTools() {
        List<String> missing = new ArrayList<>();
        String[][] tools = {{"iptables", "iptables"}, {"ipset", "ipset"}, {"ip", "iproute2"}, {"conntrack", "conntrack"},
                {"bridge", "iproute2"}};
        for (String[] t : tools) {
            if (!ProcessRunner.tryRun(List.of("sh", "-c", "command -v " + t[0]), Duration.ofSeconds(5)).ok()
                    && !missing.contains(t[1])) {
                missing.add(t[1]);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        System.out.println("sandbox: installing " + String.join(" ", missing) + " with apt-get (needed by the datapath)");
        ProcessRunner.tryRun(List.of("apt-get", "update", "-qq"), Duration.ofMinutes(5));
        List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq"));
        argv.addAll(missing);
        ProcessRunner.Result r = ProcessRunner.tryRun(argv, Duration.ofMinutes(10));
        if (!r.ok()) {
            throw new IllegalStateException("could not install " + missing + ": " + r.stderr());
        }
    }
}
