package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop survives a failing pass, retries delayed writes when due, and liveness shows a stuck loop. */
class ControllerLoopTest {
    private static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aThrowingPassIsRetriedAndAStuckPassFailsLiveness() throws Exception {
        InMemoryCluster c = new InMemoryCluster();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ReconcileControllerUseCase r = dirty -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("a bug in one pass");
            }
            if (n >= 4) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 0;
        };
        ControllerLoop loop = new ControllerLoop(c, r, Duration.ofMillis(1), Duration.ofMillis(20));
        try {
            loop.start();
            waitUntil(() -> loop.passes() >= 2);
            assertThat(loop.liveness(Duration.ofSeconds(30)).ok()).isTrue();
            waitUntil(() -> calls.get() >= 4);
            waitUntil(() -> !loop.liveness(Duration.ofMillis(200)).ok());
            assertThat(loop.liveness(Duration.ofMillis(200)).detail()).contains("no controller pass completed");
        } finally {
            release.countDown();
            loop.stop();
        }
        assertThat(loop.liveness(Duration.ofMillis(200)).ok()).as("a stopped (standby) loop is alive").isTrue();
    }

    @Test
    void aDelayedWriteIsRetriedWhenDueWithoutAnEvent() throws Exception {
        InMemoryCluster c = new InMemoryCluster();
        AtomicInteger retries = new AtomicInteger();
        ReconcileControllerUseCase r = new ReconcileControllerUseCase() {
            @Override
            public int reconcile(Set<String> dirty) {
                if (dirty.contains(RETRY)) {
                    retries.incrementAndGet();
                }
                return 0;
            }

            @Override
            public java.util.Optional<Duration> retryAfter() {
                return retries.get() < 2 ? java.util.Optional.of(Duration.ofMillis(30)) : java.util.Optional.empty();
            }
        };
        // a tick of an hour: only the retry key can cause the passes this test waits for
        ControllerLoop loop = new ControllerLoop(c, r, Duration.ofMillis(1), Duration.ofHours(1));
        try {
            loop.start();
            waitUntil(() -> retries.get() >= 2);
        } finally {
            loop.stop();
        }
    }
}
