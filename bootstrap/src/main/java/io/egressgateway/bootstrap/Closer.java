package io.egressgateway.bootstrap;

import io.egressgateway.application.lifecycle.Service;

/** Closes an adapter's resources when the role stops; registered first, so it runs last. */
final class Closer implements Service {
    private final String name;
    private final AutoCloseable resource;

    Closer(String name, AutoCloseable resource) {
        this.name = name;
        this.resource = resource;
    }

    @Override
    public String name() {
        return "close " + name;
    }

    @Override
    public void start() {
        // nothing: the resource was opened when the role's object graph was built
    }

    @Override
    public void stop() {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + name + ": " + e.getMessage(), e);
        }
    }
}
