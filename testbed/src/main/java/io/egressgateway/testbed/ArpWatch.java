package io.egressgateway.testbed;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the underlay for who answers ARP for one IPv4 address, as the external host sees it:
 * {@code tcpdump} on the external host's {@code eth0}, and {@link #probe()} makes the external host
 * ask (its neighbour entry flushed, then a datagram sent to the address, so the kernel broadcasts a
 * request). Every answer is recorded with the sender's MAC: ARP replies for the address and
 * gratuitous announcements of it (a request or reply whose sender and target are the address).
 */
public final class ArpWatch implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    // tcpdump -tt -e -n: "1795676035.412345 aa:bb:cc:dd:ee:ff > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: <what>"
    private static final Pattern LINE = Pattern.compile("^(\\d+)\\.(\\d+) ([0-9a-f:]{17}) > \\S+, ethertype ARP .*?: (.*)$");

    /** One answer: when (microseconds since the epoch) and from which MAC. */
    public record Answer(long micros, String mac) {
    }

    private final Testbed testbed;
    private final String address;
    private final ManagedProcess tcpdump;

    private ArpWatch(Testbed testbed, String address, ManagedProcess tcpdump) {
        this.testbed = testbed;
        this.address = address;
        this.tcpdump = tcpdump;
    }

    /** Starts watching; returns once tcpdump is capturing. */
    public static ArpWatch start(Testbed testbed, String address, Duration deadline) {
        ManagedProcess p = testbed.startProcessIn(testbed.externalNetns(), "arpwatch-" + SEQ.incrementAndGet(),
                List.of("tcpdump", "-i", "eth0", "-n", "-e", "-l", "-tt",
                        "--immediate-mode", "arp"), Map.of());
        ArpWatch w = new ArpWatch(testbed, address, p);
        long end = System.nanoTime() + deadline.toNanos();
        while (!w.log().contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > end) {
                p.close();
                throw new IllegalStateException("tcpdump did not start capturing in " + testbed.externalNetns()
                        + "; its output: " + w.log());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.close();
                throw new IllegalStateException("interrupted while tcpdump started", e);
            }
        }
        return w;
    }

    /** Makes the external host ask who has the address (one broadcast ARP request). */
    public void probe() throws Exception {
        testbed.tryExec(testbed.externalNetns(), List.of("ip", "-4", "neigh", "flush", "to", address, "dev", "eth0"));
        NetnsThread.call(testbed.externalNetns(), Duration.ofSeconds(5), () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(new byte[] {0}, 1, InetAddress.getByName(address), 9));
            }
            return null;
        });
    }

    /** Every answer for the address seen so far, in capture order. */
    public List<Answer> answers() {
        List<Answer> out = new ArrayList<>();
        for (String line : log().split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches() && answersFor(m.group(4))) {
                long micros = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
                out.add(new Answer(micros, m.group(3)));
            }
        }
        return out;
    }

    private boolean answersFor(String what) {
        String a = Pattern.quote(address);
        return what.matches("Reply " + a + " is-at .*")
                || what.matches("Request who-has " + a + " tell " + a + "\\b.*")
                || what.matches("Request who-has " + a + " \\([^)]*\\) tell " + a + "\\b.*");
    }

    /** The MAC of {@code node}'s underlay interface ({@code eth0}), as it appears in {@link Answer#mac()}. */
    public static String macOf(Testbed testbed, String node) {
        String out = testbed.exec(testbed.nodeNetns(node), "ip", "-o", "link", "show", "eth0").stdout();
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no MAC for " + node + "'s eth0 in: " + out);
        }
        return m.group(1);
    }

    private String log() {
        try {
            return Files.exists(tcpdump.logFile()) ? Files.readString(tcpdump.logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tcpdump.stop(Duration.ofSeconds(5));
    }
}
