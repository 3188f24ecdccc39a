package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.out.RecordEventPort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Events leave the controller's loop at once, are written in order, and a full queue drops, never blocks. */
class QueuedEventsTest {
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    /** An API server that answers only when released. */
    private final RecordEventPort slow = (kind, name, type, reason, message) -> {
        entered.countDown();
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        written.add(name + ":" + reason);
    };

    @Test
    void recordingDoesNotWaitForTheWriteAndTheWritesKeepTheirOrder() {
        try (QueuedEvents events = new QueuedEvents(slow, 16)) {
            RecordEventPort port = events.forTerm(() -> true);
            for (int i = 0; i < 5; i++) {
                port.record("EgressGatewayPolicy", "p" + i, RecordEventPort.Type.Normal, "EIPAssigned", "m");
            }
            assertThat(written).isEmpty(); // all five returned while the first write still waits

            release.countDown();
            Await.until("the five events written", () -> written.size() == 5);
            assertThat(written).containsExactly("p0:EIPAssigned", "p1:EIPAssigned", "p2:EIPAssigned",
                    "p3:EIPAssigned", "p4:EIPAssigned");
            assertThat(events.dropped()).isZero();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheLoop() {
        try (QueuedEvents events = new QueuedEvents(slow, 2)) {
            RecordEventPort port = events.forTerm(() -> true);
            port.record("EgressGateway", "first", RecordEventPort.Type.Normal, "NodeReady", "m");
            Await.until("the writer to be writing the first event", () -> entered.getCount() == 0);
            for (int i = 0; i < 5; i++) { // two fit in the queue, three do not
                port.record("EgressGateway", "g" + i, RecordEventPort.Type.Normal, "NodeReady", "m");
            }
            assertThat(events.dropped()).isEqualTo(3);

            release.countDown();
            Await.until("the queued events written", () -> written.size() == 3);
            assertThat(written).containsExactly("first:NodeReady", "g0:NodeReady", "g1:NodeReady");
        }
    }

    @Test
    void anEventOfATermThatEndedBeforeItsWriteIsNotWritten() {
        AtomicBoolean active = new AtomicBoolean(true);
        try (QueuedEvents events = new QueuedEvents(slow, 16)) {
            RecordEventPort port = events.forTerm(active::get);
            port.record("EgressGatewayPolicy", "before", RecordEventPort.Type.Normal, "EIPAssigned", "m");
            port.record("EgressGatewayPolicy", "stale", RecordEventPort.Type.Normal, "EIPMoved", "m");
            Await.until("the writer to be writing the first event", () -> entered.getCount() == 0);
            active.set(false); // leadership lost while "stale" waited in the queue
            release.countDown();
            events.close(Duration.ofSeconds(10));
            assertThat(written).containsExactly("before:EIPAssigned");
        }
    }
}
