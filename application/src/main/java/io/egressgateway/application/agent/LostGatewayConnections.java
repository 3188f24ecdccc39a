package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.ApplyDatapathPort.ApplyReport;
import io.egressgateway.application.port.out.DeleteConnectionsPort;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.plan.PendingPins;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the conntrack entries of connections pinned to a gateway this node has lost (docs/agent.md,
 * "Connections of a lost gateway"). A pin is remembered from the pass whose plan drops it until its
 * entries are gone, in memory and in the kernel ({@link PendingPins}), so a restart in between does
 * not forget it. They are deleted only after an apply in which nothing failed: the new decision
 * rules must be in place first, else the connection's next packet is tracked anew and decided against
 * the old rules. A pin whose gateway is valid again by then is forgotten, its connections kept. Used
 * by the loop thread only.
 */
final class LostGatewayConnections {
    private static final Logger LOG = LoggerFactory.getLogger(LostGatewayConnections.class);

    private final String nodeName;
    private final DeleteConnectionsPort connections;
    private final DatapathPlanning planning;
    private final AgentStats stats;
    private final Set<ConnectionPin> pending = new LinkedHashSet<>();
    /** Pins settled by this process whose record the kernel may still show until the next apply. */
    private final Set<ConnectionPin> settled = new LinkedHashSet<>();

    LostGatewayConnections(String nodeName, DeleteConnectionsPort connections, DatapathPlanning planning, AgentStats stats) {
        this.nodeName = nodeName;
        this.connections = connections;
        this.planning = planning;
        this.stats = stats;
    }

    /**
     * Before the apply: remembers the pins that applying {@code desired} over {@code actual} drops, and
     * those {@code actual} records as still pending (a previous agent's, see {@link PendingPins}).
     * Returns what to apply: {@code desired} plus the record of every remembered pin.
     */
    Datapath planned(Datapath actual, Datapath desired) {
        List<ConnectionPin> recorded = PendingPins.in(actual);
        settled.retainAll(recorded);
        for (ConnectionPin pin : recorded) {
            if (!settled.contains(pin) && pending.add(pin)) {
                LOG.info("node={} mark={} family={} connections of a lost gateway still to be deleted (recorded in"
                        + " the kernel)", nodeName, Marks.hex(pin.mark()), pin.family().suffix());
            }
        }
        for (ConnectionPin pin : planning.lostPins(actual, desired)) {
            if (pending.add(pin)) {
                LOG.info("node={} mark={} family={} gateway lost: its pinned connections are deleted once the new"
                        + " rules are applied", nodeName, Marks.hex(pin.mark()), pin.family().suffix());
            }
        }
        return PendingPins.with(desired, pending);
    }

    /**
     * After the apply: deletes the remembered pins' connections if the apply left nothing failed.
     * Returns how many deletions failed; those pins stay remembered for the next pass.
     */
    int deleteAfter(ApplyReport applied, Datapath desired) {
        if (pending.isEmpty() || !applied.ok()) {
            return 0;
        }
        int failed = 0;
        for (Iterator<ConnectionPin> it = pending.iterator(); it.hasNext(); ) {
            ConnectionPin pin = it.next();
            if (planning.restores(desired, pin)) {
                it.remove();
                settled.add(pin);
                LOG.info("node={} mark={} family={} gateway valid again: its pinned connections are kept", nodeName,
                        Marks.hex(pin.mark()), pin.family().suffix());
                continue;
            }
            try {
                int deleted = connections.deleteConnections(pin);
                it.remove();
                settled.add(pin);
                stats.recordConnectionsDeleted(deleted);
                LOG.info("node={} mark={} family={} deleted={}", nodeName, Marks.hex(pin.mark()), pin.family().suffix(), deleted);
            } catch (RuntimeException e) {
                failed++;
                stats.recordConnectionDeleteFailure();
                LOG.warn("node={} mark={} family={} connections not deleted, retried on the next pass: {}", nodeName,
                        Marks.hex(pin.mark()), pin.family().suffix(), e.toString());
            }
        }
        return failed;
    }

    /** The pins still waiting for their connections to be deleted (tests, diagnostics). */
    List<ConnectionPin> pending() {
        return List.copyOf(pending);
    }
}
