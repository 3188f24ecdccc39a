package io.egressgateway.testbed;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The kernel state of one namespace as text: what a failing end-to-end test prints to be debuggable. */
final class DatapathDump {
    private DatapathDump() {
    }

    static String of(String netns, IptablesBackend backend, boolean dualStack) {
        List<List<String>> commands = new ArrayList<>(List.of(
                List.of(backend.save(false), "-c"),
                List.of("ipset", "list"),
                List.of("ip", "-4", "rule", "show"),
                List.of("ip", "-4", "route", "show", "table", "all"),
                List.of("ip", "neigh", "show"),
                List.of("ip", "-d", "link", "show"),
                List.of("ip", "address", "show"),
                List.of("bridge", "fdb", "show"),
                List.of("conntrack", "-L")));
        if (dualStack) {
            commands.add(1, List.of(backend.save(true), "-c"));
            commands.add(List.of("ip", "-6", "rule", "show"));
            commands.add(List.of("ip", "-6", "route", "show", "table", "all"));
        }
        StringBuilder b = new StringBuilder();
        for (List<String> argv : commands) {
            ProcessRunner.Result r = ProcessRunner.tryRun(ProcessRunner.inNetns(netns, argv), Duration.ofSeconds(10));
            b.append("==== ").append(netns).append(": ").append(String.join(" ", argv));
            if (!r.ok()) {
                b.append(" (exit ").append(r.exitCode()).append(": ").append(r.stderr().strip()).append(')');
            }
            b.append('\n').append(r.stdout());
        }
        return b.toString();
    }
}
