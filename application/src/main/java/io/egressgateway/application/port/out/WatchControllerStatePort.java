package io.egressgateway.application.port.out;

import java.util.function.Consumer;

/**
 * The controller's read side: informers on Nodes, Pods, Namespaces, the custom resources and the
 * heartbeat Leases. {@code onChange} receives a key per event ({@code "<Kind>/<name>"}, Pods
 * {@code "Pod/<ns>/<name>"}), from an informer thread; the caller coalesces.
 */
public interface WatchControllerStatePort {
    void start(Consumer<String> onChange);

    /** True once every informer has listed once; nothing is reconciled before. */
    boolean synced();

    ControllerClusterState snapshot();

    void stop();
}
