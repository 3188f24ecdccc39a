package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;

/** The agent role: watch, plan, observe, diff, apply; heartbeat. */
final class AgentRoleModule extends AbstractModule {
    @Override
    protected void configure() {
        // The agent's services are registered here as the adapters land.
    }
}
