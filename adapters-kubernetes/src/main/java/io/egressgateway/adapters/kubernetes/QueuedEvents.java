package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.RecordEventPort;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events written by one thread of their own, in the order recorded, so that the controller's loop
 * never waits for them: each event is a read of the object and a write (two round trips), and a
 * gateway node that became ready for 1,000 policies meant 1,000 events, 16 s during which the loop
 * wrote no status (the footprint bench, 2026-12-03). As client-go's event broadcaster does, a full
 * queue drops the event (counted, logged at 1, 2, 4, ... drops): events are best effort, statuses are
 * not. The thread starts at the first event (an agent never records one) and ends with
 * {@link #close()}.
 */
final class QueuedEvents implements AutoCloseable {
    static final int CAPACITY = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(QueuedEvents.class);
    private final RecordEventPort target;
    private final ThreadPoolExecutor writer;
    private final AtomicLong dropped = new AtomicLong();

    QueuedEvents(RecordEventPort target, int capacity) {
        this.target = target;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, "egw-events");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> {
            if (executor.isShutdown()) {
                return; // closed: the role is stopping
            }
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("events dropped={}: the queue of {} events waiting to be written is full (the API server is"
                        + " slow or unreachable); statuses are written all the same", n, capacity);
            }
        });
    }

    /**
     * The events of one controller term: recorded while {@code active}, and written only if the term is
     * still active when the writer gets to them (a deposed leader does not report what it decided).
     */
    RecordEventPort forTerm(BooleanSupplier active) {
        return (kind, name, type, reason, message) -> {
            writer.execute(() -> {
                if (active.getAsBoolean()) {
                    target.record(kind, name, type, reason, message);
                }
            });
        };
    }

    /** Events waiting for the writer (not counting the one being written). */
    int queued() {
        return writer.getQueue().size();
    }

    /** Events dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Writes what is queued for up to {@code grace}, then stops the writer. */
    void close(Duration grace) {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
