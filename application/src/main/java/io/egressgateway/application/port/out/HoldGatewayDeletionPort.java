package io.egressgateway.application.port.out;

/**
 * The finalizer that holds an EgressGateway's deletion while policies still use it (api.md,
 * "Validation"). Both methods re-read, retry on 409 and return whether they wrote.
 */
public interface HoldGatewayDeletionPort {
    /** Puts the finalizer on the gateway when it is missing. */
    boolean hold(String gateway);

    /** Removes the finalizer, letting a requested deletion complete. */
    boolean release(String gateway);
}
