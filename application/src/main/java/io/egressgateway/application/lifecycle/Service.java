package io.egressgateway.application.lifecycle;

/**
 * Something a role runs for its whole life: an informer set, a loop, an HTTP listener. The bootstrap
 * starts a role's services in registration order and stops them in reverse order on SIGTERM.
 * {@code stop} must return promptly and must be safe to call when {@code start} failed half-way.
 */
public interface Service {
    String name();

    void start() throws Exception;

    void stop();
}
