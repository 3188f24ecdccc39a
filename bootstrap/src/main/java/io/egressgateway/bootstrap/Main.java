package io.egressgateway.bootstrap;

import io.egressgateway.bootstrap.config.SettingsException;
import io.egressgateway.bootstrap.config.SettingsLoader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one executable. {@code --role=controller|agent} picks what it runs; {@code cleanup} removes every
 * kernel object the agent owns on this node; {@code prepare-node} sets the node-wide sysctls the agent
 * cannot write from an unprivileged container. Exit status: 0 after a clean stop, 1 when the role
 * failed, 2 for a bad command line or configuration.
 */
@Command(name = "egressgateway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Kubernetes egress gateway: pods' traffic to chosen destinations leaves through elected"
                + " gateway nodes with a stable source IP.",
        subcommands = {CleanupCommand.class, PrepareNodeCommand.class, io.egressgateway.bootstrap.ctl.CtlCommand.class},
        footer = {"", "Configuration: reference.conf defaults, then --config, then EGW_<KEY> environment variables",
                "(the key's dots as underscores, e.g. EGW_HEARTBEAT_EVICTIONTIMEOUT=3s). See docs/configuration.md."})
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    // Not required by the parser: "egressgateway cleanup" takes no role. call() insists on one.
    @Option(names = "--role", paramLabel = "ROLE", description = "What to run: ${COMPLETION-CANDIDATES}.")
    Role role;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common = new CommonOptions();

    public static void main(String[] args) {
        // Netty registers its JFR events (about 90 of the JDK's JFR classes, in every agent's class data
        // archive) unless told not to; -Dio.netty.jfr.enabled=true on the command line still wins
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        return configure(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(false)).execute(args);
    }

    private static CommandLine configure(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof SettingsException) {
                cmd.getErr().println("egressgateway: " + e.getMessage());
                return 2;
            }
            if (isCtl(cmd)) {
                // ctl: an API server that cannot be reached or refuses a read is exit 1 with one line, no trace
                cmd.getErr().println("egressgateway ctl: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    private static boolean isCtl(CommandLine cmd) {
        for (CommandLine c = cmd; c != null; c = c.getParent()) {
            if (c.getCommand() instanceof io.egressgateway.bootstrap.ctl.CtlCommand) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command line with the given streams; returns the exit status (ctl tests and tools). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(false);
        cli.setOut(out);
        cli.setErr(err);
        return configure(cli).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (role == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--role=ROLE' (controller or agent), or a command (cleanup, prepare-node)");
        }
        SettingsLoader.Loaded loaded = SettingsLoader.loadAll(Optional.ofNullable(common.config), System.getenv());
        if (role == Role.agent && common.nodeName().isBlank()) {
            throw new SettingsException("the agent needs its node's name: --node-name=<name> or the NODE_NAME"
                    + " environment variable (in a DaemonSet: valueFrom.fieldRef.fieldPath spec.nodeName)");
        }
        LOG.info("starting role={} node={} netns={} settings={}", role.text(), common.nodeName(),
                common.netns == null ? "-" : common.netns, loaded.settings());
        return new RoleRunner(role, loaded.settings(), loaded.webhook(), loaded.http(), common).runUntilStopped();
    }

    /** The roles one process can take. */
    public enum Role {
        controller, agent;

        public String text() {
            return name();
        }
    }

    /** Options shared by the roles and the subcommands. */
    public static final class CommonOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (HOCON, JSON or properties).")
        Path config;

        @Option(names = "--kubeconfig", paramLabel = "FILE",
                description = "kubeconfig of the API server; default: in-cluster, or KUBECONFIG, or ~/.kube/config.")
        Path kubeconfig;

        @Option(names = "--node-name", paramLabel = "NAME",
                description = "This node's name (agent); default: the NODE_NAME environment variable.")
        String nodeName;

        @Option(names = "--netns", paramLabel = "NAME", hidden = false,
                description = "Testbed only: do all datapath work inside this network namespace.")
        String netns;

        public Optional<Path> configFile() {
            return Optional.ofNullable(config);
        }

        public Optional<Path> kubeconfig() {
            return Optional.ofNullable(kubeconfig);
        }

        public Optional<String> netns() {
            return Optional.ofNullable(netns);
        }

        public String nodeName() {
            return nodeName != null ? nodeName : System.getenv().getOrDefault("NODE_NAME", "");
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"egressgateway " + (v == null ? "dev" : v)};
        }
    }
}
