package io.egressgateway.application.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API writes of one controller pass, issued concurrently on a small bounded pool instead of one
 * synchronous round trip after another (issue 18: a pod joining waited for every PUT before it in the
 * pass). Writes start in the order they are submitted; the pass submits the slices first, so the
 * slice a pod joined is on the wire while the pass still decides the statuses. {@link #await} blocks
 * the pass thread until every write ended, so a pass never ends with a write of its own in flight
 * (the next pass starts from what this one left). Everything that is not the API call runs on the
 * pass thread, in submission order: the per-object {@link WriteBackoff}, the counts, and the
 * {@code after} step (Events that must follow a write that landed). A write that throws delays only
 * its own object. Leader fencing stays where it was: the write ports of a term refuse once the term
 * ended, from whichever thread calls them.
 */
final class PassWrites {
    private static final Logger LOG = LoggerFactory.getLogger(PassWrites.class);
    /** Writes in flight at once: the API server's round trip, not the CPU, is the cost (docs/controller.md). */
    static final int PARALLEL = 8;

    /** One object's write: returns whether it changed anything. */
    interface Call {
        boolean write();
    }

    private record Pending(String key, FutureTask<Boolean> task, Runnable after) {
    }

    private final Executor pool;
    private final WriteBackoff backoff;
    private final BiConsumer<String, Long> timed;
    private final List<Pending> pending = new ArrayList<>();
    private int writes;
    private int failures;

    /** {@code timed} learns each write's kind (the key's first word) and duration in nanoseconds. */
    PassWrites(Executor pool, WriteBackoff backoff, BiConsumer<String, Long> timed) {
        this.pool = pool;
        this.backoff = backoff;
        this.timed = timed;
    }

    /** A pool of {@link #PARALLEL} daemon threads that end when idle (a term that ended leaves none). */
    static ThreadPoolExecutor newPool() {
        ThreadPoolExecutor ex = new ThreadPoolExecutor(PARALLEL, PARALLEL, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "egw-controller-write");
                    t.setDaemon(true);
                    return t;
                });
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }

    /**
     * Starts {@code call} on the pool unless {@code key}'s last write failed and its delay runs;
     * {@code after} (may be null) runs on the pass thread in {@link #await} once the call returned.
     */
    void submit(String key, Call call, Runnable after) {
        if (backoff.waiting(key)) {
            return;
        }
        String kind = kindOf(key);
        FutureTask<Boolean> task = new FutureTask<>(() -> {
            long t0 = System.nanoTime();
            try {
                return call.write();
            } finally {
                timed.accept(kind, System.nanoTime() - t0);
            }
        });
        pending.add(new Pending(key, task, after));
        pool.execute(task);
    }

    /**
     * Waits for every write submitted so far, then settles them in submission order: backoff, counts,
     * their {@code after} step. Returns the number of writes that changed something.
     */
    int await() {
        List<Pending> batch = List.copyOf(pending);
        pending.clear();
        int changed = 0;
        boolean interrupted = false;
        for (Pending p : batch) {
            try {
                boolean wrote;
                try {
                    wrote = p.task().get();
                } catch (InterruptedException e) {
                    // the term is being stopped: cancel what is left (interrupting a call on the wire, as
                    // interrupting the pass thread did when it made the calls itself); each counts as failed
                    interrupted = true;
                    batch.forEach(q -> q.task().cancel(true));
                    wrote = p.task().get();
                }
                if (p.after() != null) {
                    p.after().run();
                }
                backoff.succeeded(p.key());
                changed += wrote ? 1 : 0;
            } catch (ExecutionException | InterruptedException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                failures++;
                backoff.failed(p.key());
                LOG.warn("{} failed (retrying this object in {} ms): {}", p.key(), backoff.delayMs(p.key()),
                        cause.toString());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        writes += changed;
        return changed;
    }

    /** Writes submitted and not yet awaited. */
    int pending() {
        return pending.size();
    }

    /** Writes that changed something, over every {@link #await} so far. */
    int writes() {
        return writes;
    }

    /** Writes that threw, over every {@link #await} so far. */
    int failures() {
        return failures;
    }

    /** {@code "update slice=x"} -> {@code "update_slice"}: the metric label (the key without its object). */
    static String kindOf(String key) {
        int eq = key.indexOf('=');
        return (eq < 0 ? key : key.substring(0, eq)).trim().replace(' ', '_');
    }
}
