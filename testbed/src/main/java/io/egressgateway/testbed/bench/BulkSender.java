package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/** The sending end of a bulk TCP transfer: one stream, as fast as the path takes it, for a fixed time. */
public final class BulkSender {
    private BulkSender() {
    }

    /**
     * What one transfer achieved: bytes the receiver counted, the wall time from connect to the
     * receiver's count, and the source address the receiver saw.
     */
    public record Result(long bytes, long nanos, String seenFrom, long senderCpuNanos, long receiverCpuNanos) {
        public double gbitPerSecond() {
            return bytes * 8.0 / nanos;
        }

        /**
         * CPU time of the sending and the receiving thread per GB (10^9 bytes) moved. The kernel runs
         * most of the forwarding of a stream between namespaces (veths, bridge, netfilter, the tunnel)
         * in the softirq of the thread that sent the packet, so this is the path's cost in CPU, which
         * the machine's load disturbs far less than the bit rate; -1 when the receiver did not say.
         */
        public double cpuMsPerGb() {
            return receiverCpuNanos < 0 ? -1 : (senderCpuNanos + receiverCpuNanos) / 1e6 / (bytes / 1e9);
        }
    }

    /** Sends from inside {@code netns} to {@code host:port} for {@code duration}, then half-closes and waits for the count. */
    public static Result send(String netns, String host, int port, Duration duration) throws Exception {
        return send(netns, host, port, duration, tid -> { });
    }

    /** As {@link #send(String, String, int, Duration)}, telling {@code started} the sending thread's Linux id first. */
    public static Result send(String netns, String host, int port, Duration duration, LongConsumer started)
            throws Exception {
        return NetnsThread.call(netns, duration.plusSeconds(60), () -> {
            started.accept(linuxThreadId());
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            byte[] chunk = new byte[BulkSink.BUFFER];
            try (Socket s = new Socket()) {
                long start = System.nanoTime();
                s.connect(new InetSocketAddress(host, port), 5000);
                long end = start + duration.toNanos();
                OutputStream out = s.getOutputStream();
                while (System.nanoTime() < end) {
                    out.write(chunk);
                }
                long senderCpu = cpu.getCurrentThreadCpuTime() - cpuStart;
                s.shutdownOutput();
                s.setSoTimeout(60_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                long nanos = System.nanoTime() - start;
                if (line == null) {
                    throw new IllegalStateException("the bulk sink at " + host + ":" + port
                            + " closed without reporting a byte count");
                }
                String[] f = line.trim().split(" ");
                return new Result(Long.parseLong(f[0]), nanos, f.length > 1 ? f[1] : "?", senderCpu,
                        f.length > 2 ? Long.parseLong(f[2]) : -1);
            }
        });
    }

    /** The Linux thread id of the calling thread (from /proc/thread-self), for perf; -1 when unknown. */
    static long linuxThreadId() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (Exception e) {
            return -1;
        }
    }
}
