package io.egressgateway.application.port.out;

import java.util.Map;

/**
 * The kernel's traffic counters of this node (the nfacct objects the counting rules name,
 * docs/traffic-metrics.md). Read when {@code /metrics} is scraped: one netlink dump, no process,
 * never on (nor waiting for) the agent's loop thread.
 */
public interface ReadTrafficCountersPort {
    /** Packets and bytes counted by the kernel since the object was created. */
    record Count(long packets, long bytes) {
    }

    /** False on a kernel without nfacct: the planner then plans no counting rule and nothing is read. */
    boolean supported();

    /** Every owned counter by name, as the kernel holds it now; empty when unsupported. */
    Map<String, Count> read();
}
