package io.egressgateway.application.port.out;

import java.util.Optional;

/**
 * The key the agents' witness exchange is authenticated with (docs/agent.md, "API server outages"),
 * shared through the API server: the controller makes it, agents read it while the API server is up
 * and keep it for an outage.
 */
public interface WitnessKeyPort {
    /** Controller: the stored key, or {@code candidate} once stored when there is none. */
    byte[] loadOrCreate(byte[] candidate);

    /** Agents: the stored key, empty while there is none. Throws when the API server cannot be read. */
    Optional<byte[]> load();
}
