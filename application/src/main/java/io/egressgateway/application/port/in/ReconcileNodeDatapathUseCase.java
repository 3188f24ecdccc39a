package io.egressgateway.application.port.in;

/**
 * One pass of the agent: bring the node's kernel in line with what the cluster wants. Idempotent:
 * a second pass with nothing changed applies nothing.
 */
public interface ReconcileNodeDatapathUseCase {
    PassResult reconcile(boolean resync);

    /** What a pass did; {@code skipped} is set when the caches had not synced yet. */
    record PassResult(boolean skipped, int operations, int failures, boolean planned) {
        public static PassResult notSynced() {
            return new PassResult(true, 0, 0, false);
        }

        public boolean ok() {
            return !skipped && failures == 0;
        }
    }
}
