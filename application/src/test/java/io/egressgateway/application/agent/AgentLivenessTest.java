package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.in.ReconcileNodeDatapathUseCase;
import io.egressgateway.domain.model.ForwardMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 13: scheduled work survives exceptions, and liveness fails when it really stops. */
class AgentLivenessTest {
    private static Settings settings() {
        return new Settings(ForwardMethod.ACTIVE_PASSIVE, true, false, "egressgateway",
                new Settings.Tunnel("172.31.0.0/16", "fd11::/112", "v4", "v6", 100, 7789, "auto"),
                new Settings.Mark(0x26000000L, 0xff000000L, 0x0000ffffL, 99),
                new Settings.Iptables(Settings.IptablesBackend.AUTO),
                new Settings.Heartbeat(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(5), true),
                new Settings.Cluster(List.of(), List.of(), List.of()),
                new Settings.Agent(Duration.ofMillis(10), Duration.ofMillis(50)), false, 100, new Settings.Ports(0, 0, 0));
    }

    @Test
    void aHeartbeatWhoseCandidateCheckThrowsKeepsRenewing() throws Exception {
        AtomicInteger renewals = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        Heartbeat h = new Heartbeat("n1", n -> renewals.incrementAndGet() > 0, settings().heartbeat(), () -> {
            if (checks.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("snapshot failed: selector operator 'in'");
            }
            return true;
        }, () -> { }, new AgentStats(), System::currentTimeMillis);
        try {
            h.start();
            CoalescingTriggerTest.waitUntil(() -> checks.get() >= 6 && renewals.get() >= 6);
            assertThat(h.fenced()).isFalse();
            assertThat(h.ticking(Duration.ofSeconds(5))).isTrue();
        } finally {
            h.close();
        }
        assertThat(h.ticking(Duration.ofSeconds(5))).as("a stopped heartbeat is not ticking").isFalse();
    }

    @Test
    void aHeartbeatStuckInOneBeatIsNotTicking() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Heartbeat h = new Heartbeat("n1", n -> true, settings().heartbeat(), () -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }, () -> { }, new AgentStats(), System::currentTimeMillis);
        try {
            h.start();
            entered.await();
            CoalescingTriggerTest.waitUntil(() -> !h.ticking(Duration.ofMillis(100)));
        } finally {
            never.countDown();
            h.close();
        }
    }

    @Test
    void livenessFailsWhenAPassNeverEndsAndHoldsWhilePassesEnd() throws Exception {
        AgentFixtures.FakeWatch watch = new AgentFixtures.FakeWatch();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        AgentService agent = new AgentService("n1", settings(), watch, n -> true, new AgentStats(),
                fenced -> resync -> {
                    if (passes.incrementAndGet() >= 3) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new ReconcileNodeDatapathUseCase.PassResult(false, 0, 0, true);
                });
        try {
            agent.start();
            assertThat(agent.liveness(Duration.ofSeconds(30), Duration.ofSeconds(30)).ok()).isTrue();
            CoalescingTriggerTest.waitUntil(() -> passes.get() >= 3);
            CoalescingTriggerTest.waitUntil(() -> !agent.liveness(Duration.ofMillis(200), Duration.ofSeconds(30)).ok());
            assertThat(agent.liveness(Duration.ofMillis(200), Duration.ofSeconds(30)).detail())
                    .contains("pass has been running");
        } finally {
            release.countDown();
            agent.stop();
        }
    }
}
