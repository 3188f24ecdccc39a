package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingTriggerTest {
    @Test
    void aBurstOfRequestsBecomesFewPasses() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (CoalescingTrigger t = new CoalescingTrigger("test", Duration.ofMillis(50), Duration.ofSeconds(1), resync -> {
            passes.incrementAndGet();
            firstStarted.countDown();
            await(release);
            return true;
        })) {
            t.request();
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 1000; i++) {
                t.request();
            }
            release.countDown();
            waitUntil(() -> passes.get() == 2);
            assertThat(passes.get()).isEqualTo(2);
        }
    }

    @Test
    void aShortPassDoesNotHoldTheNextOneForTheWholeInterval() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        // an hour: the second pass can only come soon because the first one was short
        try (CoalescingTrigger t = new CoalescingTrigger("test", Duration.ofHours(1), Duration.ofHours(1), resync -> {
            passes.incrementAndGet();
            return true;
        })) {
            t.request();
            waitUntil(() -> passes.get() == 1);
            t.request();
            waitUntil(() -> passes.get() == 2);
            assertThat(passes.get()).isEqualTo(2);
        }
    }

    @Test
    void aFailedPassIsRetriedWithoutANewRequest() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        try (CoalescingTrigger t = new CoalescingTrigger("test", Duration.ofMillis(5), Duration.ofMillis(20),
                resync -> passes.incrementAndGet() >= 3)) {
            t.request();
            waitUntil(() -> passes.get() >= 3);
        }
        assertThat(passes.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aResyncRequestIsPassedOn() throws Exception {
        CountDownLatch sawResync = new CountDownLatch(1);
        try (CoalescingTrigger t = new CoalescingTrigger("test", Duration.ofMillis(5), Duration.ofMillis(20), resync -> {
            if (resync) {
                sawResync.countDown();
            }
            return true;
        })) {
            t.requestResync();
            assertThat(sawResync.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
