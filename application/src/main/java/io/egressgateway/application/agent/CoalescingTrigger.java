package io.egressgateway.application.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns bursts of events into passes, on one thread, so passes never overlap. Requests that arrive
 * while a pass runs become one more pass after it. A pass starts no sooner than {@code minInterval}
 * after the previous one started, or, if that one was short, a pause as long as it took after it
 * ended: a 5 ms pass is followed by at most 5 ms of waiting instead of 95 (an endpoint change then
 * reaches the kernel without waiting out the interval), and passes still take at most half the
 * thread's time until they grow longer than {@code minInterval}, when they run back to back as
 * before. A failed pass is retried with exponential backoff up to {@code maxBackoff}; a resync
 * request makes the next pass a resync (the pass function is told, so it can count what it repaired
 * as drift).
 */
public final class CoalescingTrigger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescingTrigger.class);

    private final String name;
    private final long minIntervalNanos;
    private final long maxBackoffNanos;
    private final Predicate<Boolean> pass;
    private final ScheduledExecutorService executor;
    private final Object lock = new Object();
    private boolean scheduled;
    private boolean running;
    private boolean requestedWhileRunning;
    private boolean resyncPending;
    private long lastStartNanos = Long.MIN_VALUE / 2;
    private long lastEndNanos = Long.MIN_VALUE / 2;
    private long backoffNanos;

    /** {@code pass} receives "is this a resync" and returns whether the pass succeeded. */
    public CoalescingTrigger(String name, Duration minInterval, Duration maxBackoff, Predicate<Boolean> pass) {
        this.name = name;
        this.minIntervalNanos = minInterval.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.pass = pass;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public void request() {
        schedule(false, 0);
    }

    public void requestResync() {
        schedule(true, 0);
    }

    private void schedule(boolean resync, long extraDelayNanos) {
        synchronized (lock) {
            resyncPending |= resync;
            if (executor.isShutdown()) {
                return;
            }
            if (running && extraDelayNanos == 0) {
                requestedWhileRunning = true;
                return;
            }
            queue(extraDelayNanos);
        }
    }

    /** Call holding the lock. */
    private void queue(long extraDelayNanos) {
        if (scheduled) {
            return;
        }
        scheduled = true;
        long earliest = Math.min(lastStartNanos + minIntervalNanos, lastEndNanos + (lastEndNanos - lastStartNanos));
        long delay = Math.max(extraDelayNanos, earliest - System.nanoTime());
        executor.schedule(this::run, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void run() {
        boolean resync;
        synchronized (lock) {
            scheduled = false;
            running = true;
            resync = resyncPending;
            resyncPending = false;
            lastStartNanos = System.nanoTime();
        }
        boolean ok = false;
        try {
            ok = pass.test(resync);
        } catch (RuntimeException e) {
            LOG.warn("trigger={} pass failed: {}", name, e.toString(), e);
        } finally {
            // even after an Error: a trigger left "running" would never run a pass again
            synchronized (lock) {
                running = false;
                lastEndNanos = System.nanoTime();
                if (requestedWhileRunning && !executor.isShutdown()) {
                    requestedWhileRunning = false;
                    queue(0);
                }
            }
        }
        if (ok) {
            backoffNanos = 0;
        } else {
            backoffNanos = backoffNanos == 0 ? minIntervalNanos : Math.min(maxBackoffNanos, backoffNanos * 2);
            LOG.info("trigger={} retry in {} ms", name, TimeUnit.NANOSECONDS.toMillis(backoffNanos));
            schedule(resync, backoffNanos);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
