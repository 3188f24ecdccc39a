package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.out.CacheBarrier;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnouncementGateTest {
    private final AgentFixtures.FakeWatch watch = new AgentFixtures.FakeWatch();
    private final AtomicInteger passes = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AnnouncementGate gate = new AnnouncementGate("node2", watch, passes::incrementAndGet,
            Duration.ofSeconds(5), now::get);

    @AfterEach
    void close() {
        gate.close();
    }

    @Test
    void openUntilFencedAndWithheldWhileFenced() throws Exception {
        assertThat(gate.withholding()).isFalse();
        gate.fenceChanged(true);
        assertThat(gate.withholding()).isTrue();
        assertThat(watch.barrierReads.get()).as("no read while fenced").isZero();
    }

    @Test
    void afterFencingEndsAnnouncementsWaitUntilTheCacheIsAsFreshAsADirectRead() throws Exception {
        watch.cachedVersions = Map.of("default", "7");
        watch.served = new CacheBarrier("12", Map.of("default", "11")); // the controller moved the EIP: v11
        gate.fenceChanged(true);
        gate.fenceChanged(false);
        CoalescingTriggerTest.waitUntil(() -> passes.get() >= 1); // the read is done and asks for a pass
        assertThat(gate.withholding()).as("cache at v7, the API server at v11").isTrue();
        watch.cachedVersions = Map.of("default", "11");
        assertThat(gate.withholding()).isFalse();
        assertThat(gate.withholding()).as("stays open").isFalse();
        assertThat(watch.barrierReads.get()).isEqualTo(1);
    }

    @Test
    void aFailedReadIsRetriedAndKeepsWithholding() throws Exception {
        watch.served = null;
        gate.fenceChanged(true);
        gate.fenceChanged(false);
        CoalescingTriggerTest.waitUntil(() -> passes.get() >= 1);
        assertThat(gate.withholding()).isTrue(); // starts a second read
        CoalescingTriggerTest.waitUntil(() -> watch.barrierReads.get() >= 2 && passes.get() >= 2);
        watch.served = new CacheBarrier("3", Map.of());
        assertThat(gate.withholding()).isTrue(); // third read, which succeeds
        CoalescingTriggerTest.waitUntil(() -> passes.get() >= 3);
        assertThat(gate.withholding()).isFalse();
    }

    @Test
    void aCacheThatCannotCatchUpWithAnOldReadIsComparedWithANewOne() throws Exception {
        // the read saw gateway "gone", deleted before the cache relisted: it never reaches that read
        watch.served = new CacheBarrier("20", Map.of("default", "11", "gone", "15"));
        watch.cachedVersions = Map.of("default", "11");
        gate.fenceChanged(true);
        gate.fenceChanged(false);
        CoalescingTriggerTest.waitUntil(() -> passes.get() >= 1);
        assertThat(gate.withholding()).isTrue();
        watch.served = new CacheBarrier("21", Map.of("default", "11"));
        now.addAndGet(5_001);
        assertThat(gate.withholding()).as("re-read due").isTrue();
        CoalescingTriggerTest.waitUntil(() -> watch.barrierReads.get() == 2 && passes.get() >= 2);
        assertThat(gate.withholding()).isFalse();
    }

    @Test
    void fencedAgainDuringTheReadStaysFenced() throws Exception {
        watch.cachedVersions = Map.of();
        gate.fenceChanged(true);
        gate.fenceChanged(false);
        gate.fenceChanged(true);
        CoalescingTriggerTest.waitUntil(() -> watch.barrierReads.get() >= 1);
        assertThat(gate.withholding()).isTrue();
    }
}
