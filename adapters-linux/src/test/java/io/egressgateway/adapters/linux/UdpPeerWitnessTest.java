package io.egressgateway.adapters.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.application.port.out.PeerWitnessPort;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The witness protocol over real UDP on 127.0.0.1 (this namespace; nothing is configured). */
class UdpPeerWitnessTest {

    @Test
    void aPeerAnswersWithItsLiveProbeAndASilentAddressCountsAsUnanswered() throws Exception {
        int port;
        try (DatagramSocket free = new DatagramSocket(0)) {
            port = free.getLocalPort();
        }
        AtomicBoolean reaches = new AtomicBoolean(true);
        AtomicInteger probes = new AtomicInteger();
        try (NetnsExecutor here = NetnsExecutor.open(Optional.empty(), "witness-test");
                UdpPeerWitness peer = new UdpPeerWitness(here, port);
                UdpPeerWitness asker = new UdpPeerWitness(here, port)) {
            peer.serve(() -> {
                probes.incrementAndGet();
                return reaches.get();
            });
            PeerWitnessPort.Answers a = asker.ask(List.of("127.0.0.1", "127.0.0.2"), Duration.ofMillis(1500));
            assertThat(a).isEqualTo(new PeerWitnessPort.Answers(2, 1, 1));
            assertThat(probes.get()).isEqualTo(1);

            reaches.set(false);
            PeerWitnessPort.Answers cached = asker.ask(List.of("127.0.0.1"), Duration.ofMillis(1500));
            assertThat(cached.answered()).isEqualTo(1);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            PeerWitnessPort.Answers later = cached;
            while (later.reachingApiServer() != 0 && System.nanoTime() < end) {
                later = asker.ask(List.of("127.0.0.1"), Duration.ofMillis(1500)); // the cached probe expires
            }
            assertThat(later).isEqualTo(new PeerWitnessPort.Answers(1, 1, 0));
            assertThat(asker.ask(List.of(), Duration.ofMillis(100))).isEqualTo(new PeerWitnessPort.Answers(0, 0, 0));
        }
    }
}
