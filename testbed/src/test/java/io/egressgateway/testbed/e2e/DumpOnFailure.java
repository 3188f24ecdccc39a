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
            EgressCluster c = h.cluster();
            System.err.println("=== " + context.getDisplayName() + " failed: " + cause);
            System.err.println(c.testbed().dumpAll());
            System.err.println(c.logs(60));
        }
    }
}
