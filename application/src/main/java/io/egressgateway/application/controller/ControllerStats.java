package io.egressgateway.application.controller;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controller's gauges, plain Java so the application stays free of a metrics library; the
 * bootstrap exposes them. Written by the reconciling thread, read by anyone.
 */
public final class ControllerStats {
    private final AtomicInteger unservedNodes = new AtomicInteger();

    /** EgressNodes that got no tunnel address, MAC or mark: their pods leave without an EIP. */
    public int unservedNodes() {
        return unservedNodes.get();
    }

    void unservedNodes(int n) {
        unservedNodes.set(n);
    }
}
