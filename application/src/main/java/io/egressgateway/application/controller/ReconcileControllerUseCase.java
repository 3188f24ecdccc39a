package io.egressgateway.application.controller;

import java.util.Set;

/**
 * One reconcile pass of the controller. Required to be idempotent: a pass over an unchanged cluster
 * writes nothing. {@code dirty} are the keys that changed since the last pass ({@code "<Kind>/<name>"});
 * work that scales with Pods (endpoint slices) is skipped when no Pod, Namespace, policy or slice is
 * among them; everything else is recomputed every pass. Returns the number of writes made.
 */
public interface ReconcileControllerUseCase {
    String TICK = "Tick";
    String ALL = "All";

    String RETRY = "Retry";

    int reconcile(Set<String> dirty);

    /** When a write that failed may be retried (per object, see WriteBackoff); empty when none waits. */
    default java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.empty();
    }
}
