package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger fenceChanges = new AtomicInteger();

    private Heartbeat heartbeat(boolean fence) {
        Settings.Heartbeat s = new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), fence);
        return new Heartbeat("node1", n -> true, s, () -> true, fenceChanges::incrementAndGet, new AgentStats(), now::get);
    }

    @Test
    void aHealthyNodeOnTheSlowScheduleIsNeverFenced() {
        Heartbeat h = heartbeat(true);
        h.markRenewedForTest(now.get());
        now.addAndGet(9_000);
        h.updateFence(now.get());
        assertThat(h.fenced()).isFalse();
    }

    @Test
    void fencingStartsAfterEvictionTimeoutMinusTwoGatewayIntervalsAndEndsOnRenewal() {
        Heartbeat h = heartbeat(true);
        h.markRenewedForTest(now.get());
        h.markFailedForTest();
        now.addAndGet(3_000);
        h.updateFence(now.get());
        assertThat(h.fenced()).isFalse();
        now.addAndGet(1);
        h.updateFence(now.get());
        assertThat(h.fenced()).isTrue();
        assertThat(fenceChanges.get()).isEqualTo(1);
    }

    @Test
    void fencingStartsEvenWhileARenewalHangs() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Settings.Heartbeat s = new Settings.Heartbeat(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(500), true);
        Heartbeat h = new Heartbeat("node1", n -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }, s, () -> true, fenceChanges::incrementAndGet, new AgentStats(), System::currentTimeMillis);
        try {
            h.start();
            CoalescingTriggerTest.waitUntil(h::fenced);
            assertThat(fenceChanges.get()).isEqualTo(1);
        } finally {
            h.close();
            never.countDown();
        }
    }

    @Test
    void anAgentWhoseFirstRenewalFailsFencesAtOnce() {
        // Its predecessor's last renewal may be long past: the controller may be about to move the EIPs.
        Heartbeat h = heartbeat(true);
        h.updateFence(now.get());
        assertThat(h.fenced()).as("no renewal attempted yet").isFalse();
        h.markFailedForTest();
        h.updateFence(now.get());
        assertThat(h.fenced()).isTrue();
        h.markRenewedForTest(now.get());
        h.updateFence(now.get());
        assertThat(h.fenced()).as("renewed").isFalse();
        assertThat(fenceChanges.get()).isEqualTo(2);
    }

    @Test
    void aRenewalCountsFromWhenItWasSentNotWhenItWasAnswered() {
        Settings.Heartbeat s = new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), true);
        Heartbeat h = new Heartbeat("node1", n -> {
            now.addAndGet(2_500); // a slow answer: the server wrote renewTime up to 2.5 s before we heard back
            return true;
        }, s, () -> true, fenceChanges::incrementAndGet, new AgentStats(), now::get);
        try {
            h.beat();
            assertThat(h.ageMillis()).isEqualTo(2_500);
        } finally {
            h.close();
        }
    }

    @Test
    void fencingCanBeTurnedOff() {
        Heartbeat h = heartbeat(false);
        h.markFailedForTest();
        now.addAndGet(60_000);
        h.updateFence(now.get());
        assertThat(h.fenced()).isFalse();
        assertThat(fenceChanges.get()).isZero();
    }

    @Test
    void aNodeRenewsEveryIntervalUntilItBecomesAGatewayCandidateThenEveryGatewayInterval() {
        Settings.Heartbeat s = new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), true);
        AtomicInteger renewals = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean gateway = new java.util.concurrent.atomic.AtomicBoolean(false);
        Heartbeat h = new Heartbeat("node1", n -> renewals.incrementAndGet() > 0, s, gateway::get,
                fenceChanges::incrementAndGet, new AgentStats(), now::get);
        try {
            for (int second = 0; second < 25; second++) { // one tick per gatewayInterval
                h.beat();
                now.addAndGet(1_000);
            }
            assertThat(renewals.get()).as("first renewal at once, then every 10 s: t=0, 10, 20").isEqualTo(3);
            gateway.set(true);
            h.beat();
            assertThat(renewals.get()).as("a new candidate renews on the next tick").isEqualTo(4);
            for (int second = 0; second < 5; second++) {
                now.addAndGet(1_000);
                h.beat();
            }
            assertThat(renewals.get()).isEqualTo(9);
        } finally {
            h.close();
        }
    }

    @Test
    void stoppingAHealthyHeartbeatMarksTheLeaseRestartingOnceAndAFailingOneDoesNot() {
        java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        Settings.Heartbeat s = new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), true);
        io.egressgateway.application.port.out.RenewHeartbeatPort port = new io.egressgateway.application.port.out.RenewHeartbeatPort() {
            @Override
            public boolean renew(String nodeName) {
                calls.add("renew");
                return true;
            }

            @Override
            public boolean renewRestarting(String nodeName) {
                calls.add("restarting");
                return true;
            }
        };
        Heartbeat healthy = new Heartbeat("node1", port, s, () -> true, fenceChanges::incrementAndGet, new AgentStats(), now::get);
        healthy.markRenewedForTest(now.get());
        healthy.close();
        assertThat(calls).containsExactly("restarting");

        calls.clear();
        Heartbeat failing = new Heartbeat("node1", port, s, () -> true, fenceChanges::incrementAndGet, new AgentStats(), now::get);
        failing.markRenewedForTest(now.get());
        failing.markFailedForTest();
        failing.close();
        assertThat(calls).as("a node cut off from the API server must not delay its eviction").isEmpty();
    }
}
