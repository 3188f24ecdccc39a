package io.egressgateway.adapters.webhook;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A fixed number of threads with a bounded queue, for one listener's answers. Work that cannot be
 * queued, or that waited longer than {@code maxQueueWait}, is not done: its {@code overloaded}
 * callback runs instead with the reason, so the caller answers at once rather than late (a null
 * {@code maxQueueWait} waits as long as it takes). Threads
 * start on first use (the agent's listeners may never need their second one).
 */
final class BoundedWorkers implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final int capacity;
    private final long maxQueueWaitNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongSupplier clock;

    BoundedWorkers(String name, int threads, int queue, Duration maxQueueWait, LongSupplier nanoClock) {
        BlockingQueue<Runnable> q = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, q, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.capacity = queue;
        this.clock = nanoClock;
        this.maxQueueWaitNanos = maxQueueWait == null ? Long.MAX_VALUE : maxQueueWait.toNanos();
    }

    /**
     * Runs {@code work} on a worker, or {@code overloaded} with a reason: on the calling thread when
     * the queue is full or the pool is closed, on the worker when the work waited too long.
     */
    void submit(Runnable work, Consumer<String> overloaded) {
        long queuedAt = clock.getAsLong();
        try {
            pool.execute(() -> {
                long waited = clock.getAsLong() - queuedAt;
                if (waited > maxQueueWaitNanos) {
                    overloaded.accept("waited " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for a worker, longer than "
                            + TimeUnit.NANOSECONDS.toMillis(maxQueueWaitNanos) + " ms");
                    return;
                }
                inFlight.incrementAndGet();
                try {
                    work.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            overloaded.accept(pool.isShutdown() ? "shutting down"
                    : "queue full: " + capacity + " waiting, " + pool.getMaximumPoolSize() + " being decided");
        }
    }

    /** Work waiting for a thread. */
    int queued() {
        return pool.getQueue().size();
    }

    /** Work running now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Stops taking work and waits briefly for what runs. Idempotent. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
