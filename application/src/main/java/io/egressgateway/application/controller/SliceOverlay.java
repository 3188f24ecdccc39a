package io.egressgateway.application.controller;

import io.egressgateway.domain.model.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The controller's own slice writes that its informer has not delivered yet, laid over the
 * snapshot. Passes now follow each other closely (writes are concurrent, a pass that wrote nothing
 * is not held), so the next pass often sees a slice as it was before this controller's last write,
 * or not at all after a create; planning from that would create a second slice for endpoints
 * already written (and delete it again later). An entry ends when the snapshot shows what was
 * written (or, for a delete, no longer shows the slice), or after {@link #EXPIRY}, after which the
 * snapshot is trusted again whatever it says. Used by the pass thread only.
 */
final class SliceOverlay {
    static final Duration EXPIRY = Duration.ofSeconds(30);

    /** {@code slice} null: deleted; {@code created}: by this controller, so missing from the snapshot means "not yet". */
    private record Entry(EndpointSlice slice, boolean created, long atNanos) {
    }

    private final LongSupplier nanos;
    private final Map<String, Entry> written = new HashMap<>();

    SliceOverlay(LongSupplier nanos) {
        this.nanos = nanos;
    }

    void created(EndpointSlice slice) {
        written.put(slice.name(), new Entry(slice, true, nanos.getAsLong()));
    }

    void updated(EndpointSlice slice) {
        Entry had = written.get(slice.name());
        written.put(slice.name(), new Entry(slice, had != null && had.created(), nanos.getAsLong()));
    }

    void deleted(String name) {
        written.put(name, new Entry(null, false, nanos.getAsLong()));
    }

    /** The slices as this controller last left them: the snapshot with its own newer writes laid over it. */
    List<EndpointSlice> view(List<EndpointSlice> snapshot) {
        long now = nanos.getAsLong();
        written.values().removeIf(e -> now - e.atNanos() > EXPIRY.toNanos());
        List<EndpointSlice> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (EndpointSlice s : snapshot) {
            seen.add(s.name());
            Entry e = written.get(s.name());
            if (e == null) {
                out.add(s);
            } else if (e.slice() != null && e.slice().endpoints().equals(s.endpoints())) {
                written.remove(s.name()); // the informer caught up
                out.add(s);
            } else if (e.slice() != null) {
                out.add(e.slice());
            }
            // deleted by us, still listed: left out until the informer drops it
        }
        // not listed: a delete that landed, or an updated slice someone else removed; a create not listed yet stays
        written.entrySet().removeIf(w -> !seen.contains(w.getKey()) && !w.getValue().created());
        written.forEach((name, e) -> {
            if (!seen.contains(name)) {
                out.add(e.slice());
            }
        });
        return out;
    }

    int size() {
        return written.size();
    }
}
