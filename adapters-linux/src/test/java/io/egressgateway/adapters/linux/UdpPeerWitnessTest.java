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
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static int freePort() throws Exception {
        try (DatagramSocket free = new DatagramSocket(0)) {
            return free.getLocalPort();
        }
    }

    @Test
    void onlyHoldersOfTheKeyAskAndAnswerAndAForgedAnswerCountsForNothing() throws Exception {
        int port = freePort();
        try (NetnsExecutor here = NetnsExecutor.open(Optional.empty(), "witness-key-test");
                UdpPeerWitness peer = new UdpPeerWitness(here, port);
                UdpPeerWitness asker = new UdpPeerWitness(here, port)) {
            peer.serve(() -> true);
            assertThat(asker.ask(List.of("127.0.0.1"), Duration.ofMillis(300))).as("no key: nothing asked")
                    .isEqualTo(new PeerWitnessPort.Answers(1, 0, 0));
            asker.useKey(KEY);
            assertThat(asker.ask(List.of("127.0.0.1"), Duration.ofMillis(500))).as("the peer has no key: no answer")
                    .isEqualTo(new PeerWitnessPort.Answers(1, 0, 0));
            peer.useKey("another key, another cluster!!!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(asker.ask(List.of("127.0.0.1"), Duration.ofMillis(500))).as("another key: no answer")
                    .isEqualTo(new PeerWitnessPort.Answers(1, 0, 0));
        }
        // a forger on the peer's address answers every question "no API server here", without the key
        int forged = freePort();
        try (NetnsExecutor here = NetnsExecutor.open(Optional.empty(), "witness-forger");
                UdpPeerWitness asker = new UdpPeerWitness(here, forged);
                java.net.DatagramSocket forger = new java.net.DatagramSocket(forged)) {
            asker.useKey(KEY);
            Thread t = new Thread(() -> {
                byte[] buf = new byte[256];
                try {
                    java.net.DatagramPacket q = new java.net.DatagramPacket(buf, buf.length);
                    forger.receive(q);
                    String nonce = new String(q.getData(), 0, q.getLength(), java.nio.charset.StandardCharsets.US_ASCII)
                            .split(" ")[1];
                    for (String tag : List.of("", " 00000000000000000000000000000000", " " + UdpPeerWitness.tag(
                            "wrong key wrong key wrong key!!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            "!" + nonce + " 0"))) {
                        byte[] a = ("EGW-WITNESS " + nonce + " 0" + tag).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        forger.send(new java.net.DatagramPacket(a, a.length, q.getSocketAddress()));
                    }
                } catch (java.io.IOException e) {
                    // the test's assertion tells
                }
            });
            t.start();
            assertThat(asker.ask(List.of("127.0.0.1"), Duration.ofMillis(800))).as("forged answers are not answers")
                    .isEqualTo(new PeerWitnessPort.Answers(1, 0, 0));
            t.join(5_000);
        }
    }

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
            peer.useKey(KEY);
            asker.useKey(KEY);
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
