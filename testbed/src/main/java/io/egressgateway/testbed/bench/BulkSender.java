package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The sending end of a bulk TCP transfer: one stream, as fast as the path takes it, for a fixed time. */
public final class BulkSender {
    private BulkSender() {
    }

    /**
     * What one transfer achieved: bytes the receiver counted, the wall time from connect to the
     * receiver's count, and the source address the receiver saw.
     */
    public record Result(long bytes, long nanos, String seenFrom) {
        public double gbitPerSecond() {
            return bytes * 8.0 / nanos;
        }
    }

    /** Sends from inside {@code netns} to {@code host:port} for {@code duration}, then half-closes and waits for the count. */
    public static Result send(String netns, String host, int port, Duration duration) throws Exception {
        return NetnsThread.call(netns, duration.plusSeconds(60), () -> {
            byte[] chunk = new byte[BulkSink.BUFFER];
            try (Socket s = new Socket()) {
                long start = System.nanoTime();
                s.connect(new InetSocketAddress(host, port), 5000);
                long end = start + duration.toNanos();
                OutputStream out = s.getOutputStream();
                while (System.nanoTime() < end) {
                    out.write(chunk);
                }
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
                return new Result(Long.parseLong(f[0]), nanos, f.length > 1 ? f[1] : "?");
            }
        });
    }
}
