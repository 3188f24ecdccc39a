package io.egressgateway.testbed.bench;

import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.testbed.netns.NetnsThread;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a bulk TCP transfer (what iperf's server is, without iperf): reads and
 * discards until the sender half-closes, then answers one line {@code "<bytes> <source address> <CPU ns>"}
 * so the sender knows how much arrived, from which address the external host saw it, and how much
 * CPU time the receiving thread spent (including the kernel's work for its reads and ACKs).
 */
public final class BulkSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BulkSink.class);
    static final int BUFFER = 256 * 1024;

    private final String netns;
    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile String cpu;

    private BulkSink(String netns, ServerSocket server) {
        this.netns = netns;
        this.server = server;
    }

    /** Listens on {@code port} (all addresses) inside {@code netns}. */
    public static BulkSink start(String netns, int port) throws Exception {
        ServerSocket s = NetnsThread.call(netns, Duration.ofSeconds(10), () -> {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress((InetAddress) null, port), 16);
            return ss;
        });
        BulkSink sink = new BulkSink(netns, s);
        Thread t = new Thread(sink::acceptLoop, "bulk-sink-" + port);
        t.setDaemon(true);
        t.start();
        LOG.info("bench: bulk sink listening netns={} port={}", netns, port);
        return sink;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Pins the receiving thread of every connection accepted from now on to {@code cpu}; null: no pinning. */
    void pinTo(String cpu) {
        this.cpu = cpu;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket c = server.accept();
                connections.add(c);
                Thread t = new Thread(() -> drain(c), "bulk-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("bench: bulk sink accept failed netns={}: {}", netns, e.getMessage());
                }
            }
        }
    }

    private void drain(Socket c) {
        String pinned = cpu;
        if (pinned != null) {
            try {
                SeparateMachines.pin(BulkSender.linuxThreadId(), pinned);
            } catch (IllegalStateException e) {
                LOG.warn("bench: bulk sink cannot pin its thread, closing the connection: {}", e.getMessage());
                closeQuietly(c);
                return;
            }
        }
        byte[] buf = new byte[BUFFER];
        long total = 0;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
            long used = cpu.getCurrentThreadCpuTime() - cpuStart;
            out.write((total + " " + IpAddress.format(c.getInetAddress().getAddress()) + " " + used + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            LOG.debug("bench: bulk sink connection ended after {} bytes: {}", total, e.getMessage());
        } finally {
            connections.remove(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("bench: closing bulk sink", e);
        }
        connections.forEach(BulkSink::closeQuietly);
    }

    private static void closeQuietly(Socket c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("bench: closing bulk sink connection", e);
        }
    }
}
