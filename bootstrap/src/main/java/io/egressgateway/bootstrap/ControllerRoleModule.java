package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;

/** The controller role: allocation, election, EIP placement, endpoint slices, admission. */
final class ControllerRoleModule extends AbstractModule {
    @Override
    protected void configure() {
        // The controller's services are registered here as the adapters land.
    }
}
