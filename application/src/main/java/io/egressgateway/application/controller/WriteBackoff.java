package io.egressgateway.application.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Per-object retry delays for the controller's writes: a write that failed is not tried again before
 * its delay (100 ms doubling to 10 s) is over, while every other object is still written in every
 * pass. One object the API server refuses (a webhook rejecting it, a quota) so slows down only itself,
 * never the passes and failovers of the others. Used by the one pass thread only.
 */
final class WriteBackoff {
    static final long FIRST_MS = 100;
    static final long MAX_MS = 10_000;

    private record Entry(long delayMs, long notBeforeNanos) {
    }

    private final LongSupplier nanos;
    private final Map<String, Entry> waiting = new HashMap<>();

    WriteBackoff(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** True while {@code key}'s last write failed and its delay is not over. */
    boolean waiting(String key) {
        Entry e = waiting.get(key);
        return e != null && nanos.getAsLong() - e.notBeforeNanos < 0;
    }

    void failed(String key) {
        Entry e = waiting.get(key);
        long delay = e == null ? FIRST_MS : Math.min(MAX_MS, e.delayMs * 2);
        waiting.put(key, new Entry(delay, nanos.getAsLong() + Duration.ofMillis(delay).toNanos()));
    }

    void succeeded(String key) {
        waiting.remove(key);
    }

    /** The delay of {@code key} now (0 when it is not waiting), for log lines. */
    long delayMs(String key) {
        Entry e = waiting.get(key);
        return e == null ? 0 : e.delayMs;
    }

    /**
     * How long until the earliest write still waiting may be retried, if any is. An entry whose delay
     * is over is not waiting (its object may be gone); it is forgotten a minute later, so a write that
     * fails again soon after still doubles its delay.
     */
    Optional<Duration> nextRetry() {
        long now = nanos.getAsLong();
        waiting.values().removeIf(e -> now - e.notBeforeNanos > Duration.ofMinutes(1).toNanos());
        return waiting.values().stream().mapToLong(e -> e.notBeforeNanos - now).filter(d -> d > 0).min()
                .stream().mapToObj(Duration::ofNanos).findFirst();
    }
}
