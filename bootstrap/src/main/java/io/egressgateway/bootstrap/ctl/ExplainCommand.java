package io.egressgateway.bootstrap.ctl;

import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.application.ctl.PodExplainer;
import io.egressgateway.application.port.in.PodExplanation;
import io.egressgateway.application.port.in.ExplainPodUseCase.Destination;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ctl explain pod NS/NAME [--to IP[:PORT]]}. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Explain the egress of an object.",
        subcommands = {ExplainCommand.Pod.class})
final class ExplainCommand implements Runnable {
    @ParentCommand
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing object kind: pod (see --help)");
    }

    /** The pod subcommand. */
    @Command(name = "pod", mixinStandardHelpOptions = true,
            description = {"Which policies select the pod and which wins (priority), its gateway, EIP and node, whether"
                    + " the pod's node and the gateway node report the policy programmed at its current generation,"
                    + " and with --to whether the destination is excluded. Every 'no' names its reason and the"
                    + " object to fix.",
                    "Exit: 0 leaves through a gateway, 3 no such pod, 4 does not (see the findings), 1 API error."})
    static final class Pod implements Callable<Integer> {
        @ParentCommand
        ExplainCommand explain;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NS/NAME", description = "The pod, as namespace/name.")
        String pod;

        @Option(names = "--to", paramLabel = "IP[:PORT]", description = "A destination: IPv4, IPv4:port, IPv6 or [IPv6]:port.")
        String to;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table (text), json or yaml.")
        CtlOutput output;

        @Override
        public Integer call() {
            int slash = pod.indexOf('/');
            if (slash <= 0 || slash == pod.length() - 1 || pod.indexOf('/', slash + 1) >= 0) {
                throw new ParameterException(spec.commandLine(), "NS/NAME: expected namespace/name, got '" + pod + "'");
            }
            Optional<Destination> dest = to == null ? Optional.empty() : Optional.of(destination(to));
            PrintWriter out = spec.commandLine().getOut();
            try (KubernetesAdapters k = explain.ctl.connect()) {
                Optional<PodExplanation> e = new PodExplainer(k.readEgressState())
                        .explain(pod.substring(0, slash), pod.substring(slash + 1), dest);
                if (e.isEmpty()) {
                    spec.commandLine().getErr().println("egressgateway ctl: pod " + pod + " not found");
                    return CtlExit.NOT_FOUND;
                }
                out.print(output == CtlOutput.table ? ExplainText.render(e.get()) : output.render(e.get()));
                out.flush();
                return e.get().outcome() == PodExplanation.Outcome.VIA_GATEWAY ? CtlExit.OK : CtlExit.NOT_VIA_GATEWAY;
            }
        }

        private Destination destination(String text) {
            String host = text;
            Integer port = null;
            if (text.startsWith("[")) {
                int end = text.indexOf(']');
                if (end < 0) {
                    throw new ParameterException(spec.commandLine(), "--to: '" + text + "' has no closing ']'");
                }
                host = text.substring(1, end);
                if (end + 1 < text.length()) {
                    port = port(text.substring(end + 1), text);
                }
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
                port = port(text.substring(text.indexOf(':')), text);
            }
            Parsed<IpAddress> ip = IpAddress.parse(host);
            if (!ip.isOk()) {
                throw new ParameterException(spec.commandLine(), "--to: " + ip.message());
            }
            return new Destination(ip.orElseThrow(), port);
        }

        private Integer port(String colonPort, String text) {
            try {
                int p = Integer.parseInt(colonPort.substring(1));
                if (colonPort.charAt(0) == ':' && p >= 1 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // fall through
            }
            throw new ParameterException(spec.commandLine(), "--to: '" + text + "' has no valid port (1-65535)");
        }
    }
}
