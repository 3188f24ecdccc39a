package io.egressgateway.application.port.out;

/**
 * The agent's read side of the API server: informers on EgressNodes, EgressGateways, policies,
 * endpoint slices and the EgressClusterInfo (never on all Pods). {@code onChange} is called after
 * every event, from an informer thread; the caller coalesces.
 */
public interface WatchAgentStatePort {
    void start(Runnable onChange);

    /** True once every informer has listed once; nothing is planned before. */
    boolean synced();

    AgentClusterState snapshot();

    void stop();
}
