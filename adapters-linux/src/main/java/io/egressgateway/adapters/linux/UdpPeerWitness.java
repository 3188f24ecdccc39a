package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.application.port.out.PeerWitnessPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' "do you reach the API server?" over UDP on the node network ({@code agent.witnessPort},
 * 7790 by default), IPv4 or IPv6, sockets opened in the datapath's network namespace. A question is
 * {@code EGW-WITNESS? <nonce> <tag>}; the answer {@code EGW-WITNESS <nonce> 1|0 <tag>}; a tag is the
 * first 16 bytes (hex) of an HMAC-SHA256 with the shared witness key over the message's meaning
 * ({@code ?<nonce>} or {@code !<nonce> <bit>}), so only holders of the key ask and answer. Answers count
 * only from the addresses asked, with the round's nonce and a valid tag. Without the key (not read yet)
 * nothing is asked or answered. The answering side probes the API server at most every
 * {@value #PROBE_CACHE_MS} ms however many questions arrive. docs/agent.md ("API server outages").
 */
public final class UdpPeerWitness implements PeerWitnessPort {
    private static final Logger LOG = LoggerFactory.getLogger(UdpPeerWitness.class);
    private static final String ASK = "EGW-WITNESS? ";
    private static final String ANSWER = "EGW-WITNESS ";
    private static final long PROBE_CACHE_MS = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetnsExecutor netns;
    private final int port;
    private volatile DatagramSocket server;
    private volatile Thread serving;
    private volatile boolean lastProbe;
    private volatile boolean probedOnce;
    private volatile long lastProbeAtMillis;
    private volatile byte[] key;

    public UdpPeerWitness(NetnsExecutor netns, int port) {
        this.netns = netns;
        this.port = port;
    }

    @Override
    public void useKey(byte[] sharedKey) {
        key = sharedKey.clone();
    }

    /** The tag of {@code meaning} under {@code k}: 32 hex digits of HMAC-SHA256. */
    static String tag(byte[] k, String meaning) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(meaning.getBytes(StandardCharsets.US_ASCII)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean sameTag(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void serve(BooleanSupplier reachesApiServer) {
        DatagramSocket s = netns.call(() -> new DatagramSocket(new InetSocketAddress(port)));
        server = s;
        Thread t = new Thread(() -> answerLoop(s, reachesApiServer), "witness-answer");
        t.setDaemon(true);
        t.start();
        serving = t;
        LOG.info("witness: answering peers on udp port {} in {}", port, netns.describe());
    }

    private void answerLoop(DatagramSocket s, BooleanSupplier reachesApiServer) {
        byte[] buf = new byte[128];
        while (!s.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                String q = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                byte[] k = key;
                String[] parts = q.startsWith(ASK) ? q.substring(ASK.length()).strip().split(" ") : new String[0];
                if (k == null || parts.length != 2 || parts[0].length() > 32 || !sameTag(parts[1], tag(k, "?" + parts[0]))) {
                    continue;
                }
                String nonce = parts[0];
                String bit = probe(reachesApiServer) ? "1" : "0";
                byte[] a = (ANSWER + nonce + " " + bit + " " + tag(k, "!" + nonce + " " + bit))
                        .getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (!s.isClosed()) {
                    LOG.debug("witness: answer failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                LOG.warn("witness: answer failed: {}", e.toString());
            }
        }
    }

    private boolean probe(BooleanSupplier reachesApiServer) {
        long now = System.currentTimeMillis();
        if (!probedOnce || now - lastProbeAtMillis > PROBE_CACHE_MS) {
            lastProbe = reachesApiServer.getAsBoolean();
            lastProbeAtMillis = System.currentTimeMillis();
            probedOnce = true;
        }
        return lastProbe;
    }

    @Override
    public Answers ask(List<String> peers, Duration timeout) {
        if (peers.isEmpty()) {
            return new Answers(0, 0, 0);
        }
        byte[] k = key;
        if (k == null) {
            LOG.debug("witness: no key yet, nothing asked");
            return new Answers(peers.size(), 0, 0);
        }
        String nonce = Long.toHexString(RANDOM.nextLong());
        try (DatagramSocket s = netns.call(() -> new DatagramSocket())) {
            Set<InetAddress> asked = new HashSet<>();
            byte[] q = (ASK + nonce + " " + tag(k, "?" + nonce)).getBytes(StandardCharsets.US_ASCII);
            for (String peer : peers) {
                InetAddress a = InetAddress.getByName(peer);
                asked.add(a);
                s.send(new DatagramPacket(q, q.length, new InetSocketAddress(a, port)));
            }
            Set<InetAddress> answered = new HashSet<>();
            int reaching = 0;
            long end = System.nanoTime() + timeout.toNanos();
            byte[] buf = new byte[128];
            while (answered.size() < asked.size()) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                s.setSoTimeout((int) left);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).strip();
                String[] parts = text.startsWith(ANSWER) ? text.substring(ANSWER.length()).split(" ") : new String[0];
                if (parts.length != 3 || !asked.contains(p.getAddress()) || !parts[0].equals(nonce)
                        || !(parts[1].equals("1") || parts[1].equals("0"))
                        || !sameTag(parts[2], tag(k, "!" + nonce + " " + parts[1]))) {
                    continue;
                }
                if (answered.add(p.getAddress()) && parts[1].equals("1")) {
                    reaching++;
                }
            }
            return new Answers(asked.size(), answered.size(), reaching);
        } catch (IOException e) {
            throw new UncheckedIOException("witness: asking " + peers + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        DatagramSocket s = server;
        if (s != null) {
            s.close();
        }
        Thread t = serving;
        if (t != null) {
            t.interrupt();
        }
    }
}
