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
 * no event announces (a heartbeat growing old). A failed pass is retried with backoff.
 */
public final class ControllerLoop implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);
    private final WatchControllerStatePort watch;
    private final ReconcileControllerUseCase reconciler;
    private final Duration tick;
    private final Duration coalesce;
    private volatile CoalescingQueue queue;
    private volatile Thread worker;
    private volatile Thread ticker;
    private volatile long passes;

    public ControllerLoop(WatchControllerStatePort watch, ReconcileControllerUseCase reconciler, Duration coalesce,
                          Duration tick) {
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
        CoalescingQueue q = new CoalescingQueue(coalesce);
        queue = q;
        watch.start(q::add);
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
            q.add(ReconcileControllerUseCase.ALL);
            long backoff = 100;
            while (!Thread.currentThread().isInterrupted()) {
                Set<String> dirty = q.take();
                if (dirty.isEmpty()) {
                    return;
                }
                try {
                    int writes = reconciler.reconcile(dirty);
                    passes++;
                    backoff = 100;
                    if (writes > 0) {
                        LOG.debug("pass keys={} writes={}", dirty.size(), writes);
                    }
                } catch (RuntimeException e) {
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

    @Override
    public synchronized void stop() {
        CoalescingQueue q = queue;
        if (q != null) {
            q.close();
        }
        // the ticker only sleeps: interrupt it; let a pass in flight finish its writes (an interrupted
        // HTTP call fails them), and interrupt the worker only if it does not finish in time
        stopThread(ticker, true);
        stopThread(worker, false);
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
