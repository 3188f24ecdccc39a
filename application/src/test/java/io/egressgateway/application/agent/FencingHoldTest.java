package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.out.PeerWitnessPort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fencing holds while the API server is down for every peer, and only then. */
class FencingHoldTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicReference<PeerWitnessPort.Answers> peersSay = new AtomicReference<>();
    private final AtomicReference<BooleanSupplier> served = new AtomicReference<>();
    private final Settings.Heartbeat settings = new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(5), true);
    private final Heartbeat heartbeat = new Heartbeat("node1", n -> true, settings, () -> true, () -> { }, new AgentStats(),
            now::get);
    private final ApiOutageWitness witness = new ApiOutageWitness("node1", new PeerWitnessPort() {
        @Override
        public void useKey(byte[] key) {
        }

        @Override
        public void serve(BooleanSupplier reachesApiServer) {
            served.set(reachesApiServer);
        }

        @Override
        public Answers ask(List<String> peers, Duration timeout) {
            return peersSay.get();
        }

        @Override
        public void close() {
        }
    }, timeout -> false, () -> List.of("192.0.2.12", "192.0.2.13"), now::get);

    @AfterEach
    void close() {
        witness.close();
        heartbeat.close();
    }

    @Test
    void noPeerReachesTheApiServerSoFencingHoldsUntilOneDoes() {
        heartbeat.holdFencingWhenEveryoneIsCutOff(witness);
        peersSay.set(new PeerWitnessPort.Answers(2, 2, 0));
        cutOff();
        assertThat(heartbeat.fenced()).as("fenced although no peer reaches the API server").isFalse();

        peersSay.set(new PeerWitnessPort.Answers(2, 2, 1));
        awaitRound(() -> !witness.everyoneCutOff(10_000));
        heartbeat.updateFence(now.get());
        assertThat(heartbeat.fenced()).as("a peer reaches the API server: this node alone is cut off").isTrue();

        // once fenced, a later "everyone is cut off" does not unfence: the EIPs may have moved
        peersSay.set(new PeerWitnessPort.Answers(2, 2, 0));
        awaitRound(() -> witness.everyoneCutOff(10_000));
        heartbeat.updateFence(now.get());
        assertThat(heartbeat.fenced()).isTrue();
    }

    @Test
    void noAnswerAtAllFencesAsBefore() {
        heartbeat.holdFencingWhenEveryoneIsCutOff(witness);
        peersSay.set(new PeerWitnessPort.Answers(2, 0, 0));
        heartbeat.markRenewedForTest(now.get());
        heartbeat.markFailedForTest();
        heartbeat.updateFence(now.get());
        awaitRound(() -> witness.describe().contains("answered=0"));
        now.addAndGet(3_001);
        heartbeat.updateFence(now.get());
        assertThat(heartbeat.fenced()).isTrue();
    }

    @Test
    void fencingWaitsForTheFirstAnswersAtMostOneGatewayInterval() {
        PeerWitnessPort.Answers never = null;
        peersSay.set(never); // a round that keeps returning nothing usable
        heartbeat.holdFencingWhenEveryoneIsCutOff(witness);
        heartbeat.markRenewedForTest(now.get());
        heartbeat.markFailedForTest();
        now.addAndGet(3_001);
        heartbeat.updateFence(now.get());
        assertThat(heartbeat.fenced()).as("waiting for the peers' first answers").isFalse();
        now.addAndGet(1_000);
        heartbeat.updateFence(now.get());
        assertThat(heartbeat.fenced()).as("no answers a gatewayInterval past the limit: fence").isTrue();
    }

    @Test
    void theWitnessAnswersPeersWithItsOwnProbe() {
        assertThat(served.get()).isNotNull();
        assertThat(served.get().getAsBoolean()).isFalse();
    }

    /** Renewals fail past the fencing limit, with the peers asked in between. */
    private void cutOff() {
        heartbeat.markRenewedForTest(now.get());
        heartbeat.markFailedForTest();
        heartbeat.updateFence(now.get()); // failing: the first round of questions starts
        awaitRound(() -> witness.everyoneCutOff(10_000));
        now.addAndGet(3_001);
        heartbeat.updateFence(now.get());
    }

    private void awaitRound(BooleanSupplier done) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the witness's round did not finish within 10 s: " + witness.describe());
            }
            witness.refresh();
            Thread.onSpinWait();
        }
    }
}
