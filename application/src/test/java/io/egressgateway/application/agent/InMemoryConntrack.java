package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.DeleteConnectionsPort;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fake connection-tracking table that keeps state: entries are (family, connmark); a delete removes
 * those matching the pin's mark under its mask. It records which ip rules the kernel still held at the
 * moment of each delete, so a test can see that the new rules were in place first.
 */
final class InMemoryConntrack implements DeleteConnectionsPort {
    record Entry(Family family, long connmark) {
    }

    private final Supplier<Datapath> kernel;
    final List<Entry> entries = new ArrayList<>();
    final List<ConnectionPin> deletes = new ArrayList<>();
    final List<List<Long>> rulesAtDelete = new ArrayList<>();
    volatile boolean failing;

    InMemoryConntrack(Supplier<Datapath> kernel) {
        this.kernel = kernel;
    }

    synchronized void add(Family family, long connmark, int count) {
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(family, connmark));
        }
    }

    @Override
    public synchronized int deleteConnections(ConnectionPin pin) {
        if (failing) {
            throw new IllegalStateException("conntrack: injected failure");
        }
        deletes.add(pin);
        rulesAtDelete.add(kernel.get().ofType(RouteRule.class).stream().map(RouteRule::mark).toList());
        int before = entries.size();
        entries.removeIf(e -> e.family() == pin.family() && (e.connmark() & pin.mask()) == pin.mark());
        return before - entries.size();
    }

    synchronized long count(long connmark) {
        return entries.stream().filter(e -> e.connmark() == connmark).count();
    }
}
