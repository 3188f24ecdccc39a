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

    /**
     * Reads the EgressGateways directly from the API server (not the cache); may block while the
     * client retries. The agent takes one after fencing ends (see {@link CacheBarrier}).
     */
    CacheBarrier readBarrier();

    /** Whether the cache is at least as fresh as {@code barrier} (never blocks). */
    boolean caughtUp(CacheBarrier barrier);

    void stop();
}
