package io.egressgateway.application.port.in;

/** Removes every kernel object the agent owns on this node; returns how many were removed. */
public interface CleanupNodeUseCase {
    int cleanup();
}
