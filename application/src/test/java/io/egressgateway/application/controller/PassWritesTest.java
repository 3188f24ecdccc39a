package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The concurrent writes of one pass: order, bound, backoff, fencing. */
class PassWritesTest {
    final long[] clock = {0};
    final WriteBackoff backoff = new WriteBackoff(() -> clock[0]);
    final List<String> timedKinds = Collections.synchronizedList(new ArrayList<>());
    final List<ExecutorService> pools = new ArrayList<>();

    PassWrites writes(ExecutorService pool) {
        pools.add(pool);
        return new PassWrites(pool, backoff, (kind, nanos) -> timedKinds.add(kind));
    }

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void writesStartInSubmissionOrderAndSettleOnTheCallingThreadInThatOrder() {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        List<String> settled = new ArrayList<>();
        List<Thread> settledOn = new ArrayList<>();
        PassWrites w = writes(Executors.newSingleThreadExecutor());
        for (String k : List.of("update slice=shop-1", "update slice=web-1", "status policy=shop")) {
            w.submit(k, () -> started.add(k), () -> {
                settled.add(k);
                settledOn.add(Thread.currentThread());
            });
        }
        assertThat(w.await()).isEqualTo(3);
        assertThat(started).containsExactly("update slice=shop-1", "update slice=web-1", "status policy=shop");
        assertThat(settled).containsExactlyElementsOf(started);
        assertThat(settledOn).containsOnly(Thread.currentThread());
        assertThat(timedKinds).containsExactlyInAnyOrder("update_slice", "update_slice", "status_policy");
    }

    @Test
    void atMostParallelWritesAreInFlightAndAwaitWaitsForAll() throws Exception {
        ThreadPoolExecutor pool = PassWrites.newPool();
        PassWrites w = writes(pool);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int n = PassWrites.PARALLEL * 3;
        for (int i = 0; i < n; i++) {
            w.submit("update slice=s" + i, () -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.incrementAndGet();
                return true;
            }, null);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (running.get() < PassWrites.PARALLEL && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(running.get()).as("the pool's threads all busy").isEqualTo(PassWrites.PARALLEL);
        assertThat(pool.getQueue()).as("the rest wait their turn, none runs beside them")
                .hasSize(n - PassWrites.PARALLEL);
        release.countDown();
        assertThat(w.await()).isEqualTo(n);
        assertThat(done.get()).as("await returns only once every write ended").isEqualTo(n);
        assertThat(maxRunning.get()).isEqualTo(PassWrites.PARALLEL);
    }

    @Test
    void aFailingWriteDelaysOnlyItsObjectAndSkipsItsAfterStep() {
        PassWrites w = writes(Executors.newFixedThreadPool(2));
        List<String> after = new ArrayList<>();
        w.submit("status policy=bad", () -> {
            throw new IllegalStateException("refused by a webhook");
        }, () -> after.add("bad"));
        w.submit("status policy=good", () -> true, () -> after.add("good"));
        assertThat(w.await()).isEqualTo(1);
        assertThat(w.failures()).isEqualTo(1);
        assertThat(after).containsExactly("good");
        assertThat(backoff.waiting("status policy=bad")).isTrue();

        AtomicInteger calls = new AtomicInteger();
        w.submit("status policy=bad", () -> calls.incrementAndGet() > 0, null);
        w.submit("status policy=good", () -> calls.incrementAndGet() > 0, null);
        assertThat(w.await()).isEqualTo(1);
        assertThat(calls.get()).as("the failed object waits its delay, the other is written").isEqualTo(1);

        clock[0] += TimeUnit.MILLISECONDS.toNanos(WriteBackoff.FIRST_MS);
        w.submit("status policy=bad", () -> true, null);
        assertThat(w.await()).as("retried once its delay is over").isEqualTo(1);
        assertThat(backoff.waiting("status policy=bad")).isFalse();
        assertThat(w.writes()).isEqualTo(3);
    }

    /** Ports of a term refuse once it ended (TermGuard): queued writes of that term land nowhere. */
    @Test
    void aTermThatEndsWhileItsWritesQueueWritesNothingMore() throws Exception {
        AtomicBoolean active = new AtomicBoolean(true);
        List<String> landed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PassWrites w = writes(Executors.newSingleThreadExecutor());
        w.submit("update slice=first", guarded(active, () -> {
            inFlight.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            landed.add("first");
            return true;
        }), null);
        for (int i = 0; i < 3; i++) {
            String k = "later" + i;
            w.submit("update slice=" + k, guarded(active, () -> landed.add(k)), null);
        }
        assertThat(inFlight.await(20, TimeUnit.SECONDS)).isTrue();
        active.set(false); // leadership lost while the first write is on the wire
        release.countDown();
        assertThat(w.await()).isEqualTo(1);
        assertThat(landed).containsExactly("first");
        assertThat(w.failures()).isEqualTo(3);
    }

    /** Stopping a term interrupts its pass thread: the writes it waits for are cancelled, as its own calls were. */
    @Test
    void anInterruptedAwaitCancelsTheWritesOnTheWire() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        PassWrites w = writes(Executors.newSingleThreadExecutor());
        w.submit("update slice=hanging", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // an API server that never answers
            } catch (InterruptedException e) {
                cancelled.countDown();
            }
            return true;
        }, null);
        AtomicBoolean ran = new AtomicBoolean();
        w.submit("update slice=queued", () -> ran.getAndSet(true), null);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt();
        try {
            assertThat(w.await()).isZero();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(cancelled.await(20, TimeUnit.SECONDS)).as("the call on the wire was interrupted").isTrue();
        assertThat(w.failures()).isEqualTo(2);
        assertThat(ran).as("the queued write never ran").isFalse();
    }

    @Test
    void kindsAreTheKeyWithoutItsObject() {
        assertThat(PassWrites.kindOf("update slice=shop-x")).isEqualTo("update_slice");
        assertThat(PassWrites.kindOf("create slice policy=shop")).isEqualTo("create_slice_policy");
        assertThat(PassWrites.kindOf("status policy=shop")).isEqualTo("status_policy");
    }

    private static PassWrites.Call guarded(AtomicBoolean active, BooleanSupplier write) {
        return () -> {
            if (!active.get()) {
                throw new IllegalStateException("this controller term ended (leadership lost)");
            }
            return write.getAsBoolean();
        };
    }
}
