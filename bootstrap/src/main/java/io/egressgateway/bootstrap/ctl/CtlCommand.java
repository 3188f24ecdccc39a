package io.egressgateway.bootstrap.ctl;

import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.application.config.Settings;
import io.egressgateway.bootstrap.config.SettingsLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code egressgateway ctl}: inspect and operate the egress gateway as a user (also {@code kubectl
 * egressgateway ...} through the {@code kubectl-egressgateway} wrapper).
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = "Inspect and operate the egress gateway with your kubeconfig (also: kubectl egressgateway ...).",
        subcommands = {ExplainCommand.class, StatusCommand.class, MoveEipCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 API error, 2 usage, 3 not found,",
                "4 explain: not via a gateway, 5 move-eip refused,",
                "6 move-eip not acknowledged in time. See docs/ctl.md."})
public final class CtlCommand implements Runnable {
    @Option(names = "--kubeconfig", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "kubeconfig to use; default: KUBECONFIG, then ~/.kube/config (never a service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "kubeconfig context; default: the current context.")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Namespace of the installation (its heartbeat Leases); default: the configuration's"
                    + " 'namespace' (egressgateway).")
    String namespace;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing command: explain, status or move-eip (see --help)");
    }

    /** Connects as the user; the caller closes it. */
    KubernetesAdapters connect() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (namespace != null) {
            env.put("EGW_NAMESPACE", namespace);
        }
        Settings settings = SettingsLoader.load(Optional.empty(), env);
        return KubernetesAdapters.connectAsUser(Optional.ofNullable(kubeconfig), Optional.ofNullable(context), settings);
    }
}
