package io.egressgateway.application.controller;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A set of dirty keys: adding a key that is already pending is a no-op, so a burst of events on one
 * object becomes one entry, and a burst on many objects becomes one pass. {@link #take} returns
 * everything pending, no sooner than {@code minInterval} after the previous take, unless the
 * consumer said the previous take needs no such hold ({@link #noHold}).
 */
public final class CoalescingQueue {
    private final Set<String> pending = new LinkedHashSet<>();
    private final long minIntervalNanos;
    private long lastTake = Long.MIN_VALUE / 2;
    private boolean closed;
    /** System.nanoTime() when the first of the pending keys was added. */
    private long firstAdd;
    private long lastWait;

    public CoalescingQueue(Duration minInterval) {
        this.minIntervalNanos = minInterval.toNanos();
    }

    public synchronized void add(String key) {
        if (pending.isEmpty()) {
            firstAdd = System.nanoTime();
        }
        if (pending.add(key)) {
            notifyAll();
        }
    }

    public synchronized int size() {
        return pending.size();
    }

    /** Blocks until a key is pending and the minimum interval has passed; empty set once closed. */
    public synchronized Set<String> take() throws InterruptedException {
        while (!closed) {
            long now = System.nanoTime();
            long wait = lastTake + minIntervalNanos - now;
            if (!pending.isEmpty() && wait <= 0) {
                Set<String> out = new LinkedHashSet<>(pending);
                pending.clear();
                lastTake = now;
                lastWait = now - firstAdd;
                return out;
            }
            if (pending.isEmpty()) {
                wait();
            } else {
                long ms = Math.max(1, wait / 1_000_000);
                wait(ms);
            }
        }
        return Set.of();
    }

    /** How long the keys of the last {@link #take} waited, from the first one's add (nanoseconds). */
    public synchronized long lastWaitNanos() {
        return lastWait;
    }

    /**
     * The next take need not wait for {@code minInterval} after the previous one: the pass that took
     * it wrote nothing, so there is no write to batch (a pod's create and its status report arrive as
     * two events; the second must not pay the hold).
     */
    public synchronized void noHold() {
        lastTake = Long.MIN_VALUE / 2;
        notifyAll();
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** Sleeps up to {@code d}, returning early (false) once closed; true when the full time passed. */
    public synchronized boolean pause(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        long left;
        while (!closed && (left = end - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
        return !closed;
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
