package io.egressgateway.application.controller;

import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.out.WatchControllerStatePort;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controller: starts the informers, waits for their first list, then reconciles whatever
 * the coalescing queue hands over, one pass at a time on one thread. A periodic tick catches what
 * no event announces (a heartbeat growing old). A failed write delays only its object: the
 * reconciler says when one is due again and a retry key is added then. A pass that throws as a
 * whole (a bug) is logged and retried with backoff; nothing ends the loop but {@link #stop}.
 * {@link #liveness} says whether passes are still completing.
 */
public final class ControllerLoop implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);
    private final WatchControllerStatePort watch;
    private final ReconcileControllerUseCase reconciler;
    private final Duration tick;
    private final Duration coalesce;
    private volatile CoalescingQueue queue;
    private volatile Thread worker;
    private volatile boolean stopping;
    private volatile Thread ticker;
    private volatile long passes;
    /** System.nanoTime() of the last completed (or failed) pass, or of the start. */
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean synced;
    private final java.util.concurrent.atomic.AtomicBoolean retryPending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile java.util.concurrent.ScheduledExecutorService retry;

    private final ControllerStats stats;

    public ControllerLoop(WatchControllerStatePort watch, ReconcileControllerUseCase reconciler, Duration coalesce,
                          Duration tick) {
        this(watch, reconciler, coalesce, tick, new ControllerStats());
    }

    /** {@code stats} learns when this term leads and how deep its queue is. */
    public ControllerLoop(WatchControllerStatePort watch, ReconcileControllerUseCase reconciler, Duration coalesce,
                          Duration tick, ControllerStats stats) {
        this.stats = stats;
        this.watch = watch;
        this.reconciler = reconciler;
        this.coalesce = coalesce;
        this.tick = tick;
    }

    @Override
    public String name() {
        return "controller-loop";
    }

    @Override
    public synchronized void start() {
        stopping = false;
        CoalescingQueue q = new CoalescingQueue(coalesce);
        queue = q;
        stats.term(q::size);
        watch.start(q::add);
        lastProgressNanos = System.nanoTime();
        retry = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "egw-controller-retry");
            t.setDaemon(true);
            return t;
        });
        worker = new Thread(() -> run(q), "egw-controller");
        worker.setDaemon(true);
        worker.start();
        ticker = new Thread(() -> tick(q), "egw-controller-tick");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** Completed reconcile passes since start (tests wait on it). */
    public long passes() {
        return passes;
    }

    /**
     * Alive while the worker thread runs and, once the caches synced, a pass completed within
     * {@code stuckAfter} (the ticker asks for one every tick, so a loop that stops completing passes
     * is stuck, e.g. on a call that never returns). Not started (a standby replica): alive.
     */
    public io.egressgateway.application.lifecycle.ReadinessCheck.Result liveness(Duration stuckAfter) {
        Thread w = worker;
        if (w == null) {
            return io.egressgateway.application.lifecycle.ReadinessCheck.Result.ok("controller loop not running (standby)");
        }
        if (!w.isAlive()) {
            return io.egressgateway.application.lifecycle.ReadinessCheck.Result.failing("controller loop thread ended");
        }
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgressNanos);
        if (synced && idleMs > stuckAfter.toMillis()) {
            return io.egressgateway.application.lifecycle.ReadinessCheck.Result.failing(
                    "no controller pass completed for " + idleMs + " ms");
        }
        return io.egressgateway.application.lifecycle.ReadinessCheck.Result.ok(
                "controller loop alive, last pass " + idleMs + " ms ago, passes=" + passes);
    }

    /** Caches synced (the loop is reconciling). */
    public boolean synced() {
        return synced;
    }

    /** Started and not stopped: this replica leads. */
    public boolean running() {
        return worker != null;
    }

    /**
     * Started and not being stopped: a term that lost leadership must not write what it decided while
     * it could not see the cluster (its pass in flight may still be waiting for an API server that
     * comes back only after another term took over).
     */
    public boolean active() {
        return worker != null && !stopping;
    }

    private void tick(CoalescingQueue q) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                TimeUnit.MILLISECONDS.sleep(tick.toMillis());
                q.add(ReconcileControllerUseCase.TICK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(CoalescingQueue q) {
        try {
            while (!watch.synced()) {
                if (!q.pause(Duration.ofMillis(20))) {
                    return;
                }
            }
            LOG.info("controller caches synced; reconciling");
            synced = true;
            lastProgressNanos = System.nanoTime();
            q.add(ReconcileControllerUseCase.ALL);
            long backoff = 100;
            while (!Thread.currentThread().isInterrupted()) {
                Set<String> dirty = q.take();
                if (dirty.isEmpty()) {
                    return;
                }
                stats.queueWait(q.lastWaitNanos());
                try {
                    int writes = reconciler.reconcile(dirty);
                    if (writes == 0) {
                        q.noHold();
                    }
                    passes++;
                    lastProgressNanos = System.nanoTime();
                    backoff = 100;
                    if (writes > 0) {
                        LOG.debug("pass keys={} writes={}", dirty.size(), writes);
                    }
                    scheduleRetry(q);
                } catch (RuntimeException e) {
                    lastProgressNanos = System.nanoTime();
                    LOG.warn("reconcile pass failed (retrying in {} ms): {}", backoff, e.toString(), e);
                    if (!q.pause(Duration.ofMillis(backoff))) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 10_000);
                    q.add(ReconcileControllerUseCase.ALL);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds a retry key when the reconciler's earliest delayed write is due (at most one pending). */
    private void scheduleRetry(CoalescingQueue q) {
        var ex = retry;
        var due = reconciler.retryAfter();
        if (ex == null || due.isEmpty() || !retryPending.compareAndSet(false, true)) {
            return;
        }
        try {
            ex.schedule(() -> {
                retryPending.set(false);
                q.add(ReconcileControllerUseCase.RETRY);
            }, Math.max(1, due.get().toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            retryPending.set(false);
        }
    }

    @Override
    public synchronized void stop() {
        stopping = true;
        CoalescingQueue q = queue;
        if (q != null) {
            q.close();
        }
        // the ticker only sleeps: interrupt it; let a pass in flight finish its writes (an interrupted
        // HTTP call fails them), and interrupt the worker only if it does not finish in time
        stopThread(ticker, true);
        stopThread(worker, false);
        if (retry != null) {
            retry.shutdownNow();
            retry = null;
        }
        synced = false;
        stats.term(null);
        watch.stop();
        worker = null;
        ticker = null;
        queue = null;
    }

    private static void stopThread(Thread t, boolean interruptFirst) {
        if (t == null) {
            return;
        }
        try {
            if (interruptFirst) {
                t.interrupt();
            }
            t.join(5000);
            if (t.isAlive()) {
                t.interrupt();
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
