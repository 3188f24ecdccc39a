package io.egressgateway.testbed;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A child JVM for the teardown tests: builds a small testbed, says READY, and waits to be interrupted or killed. */
public final class TestbedProbe {
    private TestbedProbe() {
    }

    public static void main(String[] args) throws Exception {
        Testbed tb = Testbed.build(TestbedOptions.builder().nodes(1).gatewayNodes(1).stateDir(Path.of(args[0]))
                .crdDir(null).pod("p", 1, Map.of()).build());
        ManagedProcess agent = tb.startProcess("fake-agent", List.of("sleep", "600"), Map.of());
        System.out.println("READY " + tb.prefix() + " " + agent.pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
