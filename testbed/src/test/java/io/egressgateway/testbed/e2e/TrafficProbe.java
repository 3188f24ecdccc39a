package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Sends a known number of bytes from a pod and reads the agents' traffic counters (docs/traffic-metrics.md). */
final class TrafficProbe {
    private final Testbed testbed;
    private final EgressCluster cluster;

    TrafficProbe(Testbed testbed, EgressCluster cluster) {
        this.testbed = testbed;
        this.cluster = cluster;
    }

    record Counts(long packets, long bytes) {
        Counts minus(Counts o) {
            return new Counts(packets - o.packets, bytes - o.bytes);
        }
    }

    /** Sends {@code bytes} from {@code pod} to the sink at {@code host}, half-closes, returns the address the sink saw. */
    String send(String pod, String host, int port, long bytes) throws Exception {
        return NetnsThread.call(testbed.pod(pod).netns(), Duration.ofSeconds(60), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                long left = bytes;
                while (left > 0) {
                    int n = (int) Math.min(chunk.length, left);
                    out.write(chunk, 0, n);
                    left -= n;
                }
                s.shutdownOutput();
                s.setSoTimeout(30_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(line).as("the sink's count").isNotNull();
                String[] f = line.trim().split(" ");
                assertThat(Long.parseLong(f[0])).as("bytes the sink received from %s", pod).isEqualTo(bytes);
                return f[1];
            }
        });
    }

    /**
     * Packets and bytes of one series ({@code kind} egress or steered) once two scrapes in a row agree:
     * the connection's last packets (the client's closing ACK and FIN) may still be on their way.
     */
    Counts counts(String node, String kind, Map<String, String> labels, Duration deadline) {
        Counts[] last = {null};
        Waits.until(kind + " counter on " + node + " to settle", deadline, Duration.ofMillis(300), () -> {
            PromSamples p = scrape(node);
            Counts now = new Counts(p.value("egressgateway_policy_" + kind + "_packets_total", labels),
                    p.value("egressgateway_policy_" + kind + "_bytes_total", labels));
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
        return last[0];
    }

    PromSamples scrape(String node) throws Exception {
        return PromSamples.parse(text(node));
    }

    /** The agent's /metrics of {@code node} as text. */
    String text(String node) throws Exception {
        return PromSamples.fetch("http://127.0.0.1:" + cluster.agentMetricsPort(node) + "/metrics");
    }

    /** The bytes of {@code c} are the payload plus {@code minHeaders..maxHeaders} bytes per counted packet. */
    static void assertWithinHeaders(String what, Counts c, long payload, long minHeaders, long maxHeaders) {
        assertThat(c.packets()).as("%s: packets", what).isPositive();
        assertThat(c.bytes()).as("%s: bytes of %d packets carrying %d payload bytes", what, c.packets(), payload)
                .isBetween(payload + minHeaders * c.packets(), payload + maxHeaders * c.packets());
    }
}
