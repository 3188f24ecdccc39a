package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.cluster.EgressCluster;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** On a failed end-to-end test, prints every node's datapath and the processes' last log lines. */
final class DumpOnFailure implements TestWatcher {
    interface HasCluster {
        EgressCluster cluster();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Object test = context.getTestInstance().orElse(null);
        if (test instanceof HasCluster h && h.cluster() != null) {
            dump(context.getDisplayName(), cause, h.cluster().testbed(), h.cluster());
        }
    }

    static void dump(String what, Throwable cause, io.egressgateway.testbed.Testbed testbed, EgressCluster cluster) {
        System.err.println("=== " + what + " failed: " + cause);
        if (testbed != null) {
            System.err.println(testbed.dumpAll());
        }
        if (cluster != null) {
            System.err.println(cluster.logs(80));
        }
    }
}
