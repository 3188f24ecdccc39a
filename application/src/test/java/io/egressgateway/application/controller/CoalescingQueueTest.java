package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoalescingQueueTest {
    @Test
    void burstsBecomeOneTakeWithoutDuplicates() throws Exception {
        CoalescingQueue q = new CoalescingQueue(Duration.ZERO);
        for (int i = 0; i < 100; i++) {
            q.add("Pod/ns/a");
            q.add("Node/n" + (i % 3));
        }
        assertThat(q.size()).isEqualTo(4);
        assertThat(q.take()).containsExactly("Pod/ns/a", "Node/n0", "Node/n1", "Node/n2");
        assertThat(q.size()).isZero();
    }

    @Test
    void closeWakesATakerWithNothing() throws Exception {
        CoalescingQueue q = new CoalescingQueue(Duration.ZERO);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            q.close();
        });
        t.start();
        assertThat(q.take()).isEqualTo(Set.of());
        t.join();
    }

    @Test
    void pauseEndsEarlyOnceClosed() throws Exception {
        CoalescingQueue q = new CoalescingQueue(Duration.ZERO);
        assertThat(q.pause(Duration.ofMillis(1))).isTrue();
        q.close();
        assertThat(q.pause(Duration.ofHours(1))).as("returns at once, not after an hour").isFalse();
        assertThat(q.closed()).isTrue();
    }

    /** After a pass that wrote nothing (a pod's create, before its IP is reported) the next event is not held. */
    @Test
    void noHoldLetsTheNextTakeGoAtOnce() throws Exception {
        CoalescingQueue q = new CoalescingQueue(Duration.ofHours(1));
        q.add("Pod/ns/a");
        assertThat(q.take()).containsExactly("Pod/ns/a");
        q.noHold();
        q.add("Pod/ns/a");
        var taken = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(taken.get(20, java.util.concurrent.TimeUnit.SECONDS)).as("not an hour later")
                .containsExactly("Pod/ns/a");
        assertThat(q.lastWaitNanos()).isGreaterThanOrEqualTo(0);
        q.close();
    }
}
