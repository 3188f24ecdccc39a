package io.egressgateway.testbed.e2e;

/**
 * {@link CalicoCoexistenceE2EIT} with the agents in the default {@code iptables.chainInsertMode=Insert}:
 * the Felix-like loop and the agents both want the top of {@code nat POSTROUTING}; the agents move
 * back a bounded number of times (each logged, naming the loop's rule), and traffic is unaffected.
 */
class CalicoCoexistenceInsertModeE2EIT extends CalicoCoexistenceE2EIT {
    @Override
    String mode() {
        return "Insert";
    }
}
