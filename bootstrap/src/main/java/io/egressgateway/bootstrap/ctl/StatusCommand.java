package io.egressgateway.bootstrap.ctl;

import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.application.port.in.EgressStatusView;
import io.egressgateway.application.ctl.StatusReport;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ctl status [-o table|json|yaml]}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Gateways with their nodes, EIPs and pool usage; policies with EIP, node and programmed N/M;"
                + " nodes with phase, heartbeat age and tunnel state.", "Exit: 0 printed, 1 API error."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or yaml.")
    CtlOutput output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesAdapters k = ctl.connect()) {
            EgressStatusView v = new StatusReport(k.readEgressState(), Clock.systemUTC()).status();
            out.print(output == CtlOutput.table ? StatusTables.render(v) : output.render(v));
            out.flush();
            return CtlExit.OK;
        }
    }
}
