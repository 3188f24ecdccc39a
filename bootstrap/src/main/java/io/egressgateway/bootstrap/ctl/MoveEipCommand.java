package io.egressgateway.bootstrap.ctl;

import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.application.port.in.EipMoveOutcome;
import io.egressgateway.application.ctl.EipMover;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ctl move-eip GATEWAY EIP --to NODE}. */
@Command(name = "move-eip", mixinStandardHelpOptions = true,
        description = {"Move an EIP (with the EIPs placed together with it) to another Ready node of its gateway."
                + " Fenced like a failover: the old node stops answering for the EIP first; the new node takes it"
                + " heartbeat.evictionTimeout later. Writes the gateway annotation egressgateway.spidernet.io/move-eip,"
                + " then waits for the controller's acknowledgement (condition EIPMove).",
                "Exit: 0 moved (or already there), 3 no such gateway or EIP, 5 refused (node not eligible),"
                        + " 6 not acknowledged within --timeout, 1 API error."})
final class MoveEipCommand implements Callable<Integer> {
    @ParentCommand
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GATEWAY", description = "The EgressGateway.")
    String gateway;

    @Parameters(index = "1", paramLabel = "EIP", description = "An EIP of the gateway in use by a policy.")
    String eip;

    @Option(names = "--to", required = true, paramLabel = "NODE", description = "A Ready node of the gateway.")
    String node;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for the controller (e.g. 30s, 2m; 0 = do not wait). Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    public Integer call() {
        Duration wait = duration(timeout);
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesAdapters k = ctl.connect()) {
            EipMoveOutcome o = new EipMover(k.readEgressState(), k.requestEipMove(), Clock.systemUTC(),
                    Duration.ofMillis(250)).move(gateway, eip, node, wait);
            PrintWriter to = o.result() == EipMoveOutcome.Result.MOVED || o.result() == EipMoveOutcome.Result.REQUESTED
                    ? out : spec.commandLine().getErr();
            to.println((o.result() == EipMoveOutcome.Result.MOVED || o.result() == EipMoveOutcome.Result.REQUESTED
                    ? "" : "egressgateway ctl: ") + o.result().name().toLowerCase().replace('_', ' ') + ": " + o.message()
                    + (o.request() == null ? "" : " (request " + o.request() + ")"));
            to.flush();
            return switch (o.result()) {
                case MOVED, REQUESTED -> CtlExit.OK;
                case NOT_FOUND -> CtlExit.NOT_FOUND;
                case REFUSED -> CtlExit.REFUSED;
                case TIMED_OUT -> CtlExit.TIMED_OUT;
            };
        }
    }

    private Duration duration(String text) {
        try {
            return com.typesafe.config.ConfigFactory.parseString("d = " + text).getDuration("d");
        } catch (RuntimeException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--timeout: '" + text + "' is not a duration (e.g. 30s, 2m, 0)");
        }
    }
}
