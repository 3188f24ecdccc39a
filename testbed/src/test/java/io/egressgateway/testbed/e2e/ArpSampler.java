package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.ArpWatch;
import io.egressgateway.testbed.Testbed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who answers ARP for one EIP on the underlay, as the external host sees it: an {@link ArpWatch}
 * and a thread that makes the external host ask about every 50 ms. Since the agents answer from
 * their own process (docs/failover.md), the wire is the only place to see who answers.
 */
final class ArpSampler implements AutoCloseable {
    private final ArpWatch watch;
    private final Map<String, String> nodeOfMac = new HashMap<>();
    private final List<Long> probes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    ArpSampler(Testbed testbed, String eip) {
        testbed.nodeNames().forEach(n -> nodeOfMac.put(ArpWatch.macOf(testbed, n), n));
        watch = ArpWatch.start(testbed, eip, Duration.ofSeconds(30));
        thread = new Thread(() -> {
            while (running) {
                try {
                    long at = System.currentTimeMillis() * 1000;
                    watch.probe();
                    probes.add(at);
                    Thread.sleep(50); // pacing the probes, not waiting for anything
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    errors.add("probe failed: " + e);
                }
            }
        }, "arp-sampler");
        thread.start();
    }

    int probes() {
        return probes.size();
    }

    /** Every answer so far as "micros node" (a MAC of no node as "unknown MAC"), in capture order. */
    List<String> answers() {
        return watch.answers().stream()
                .map(a -> a.micros() + " " + nodeOfMac.getOrDefault(a.mac(), "unknown " + a.mac())).toList();
    }

    /** Whether {@code node} answered one of the last three probes. */
    boolean answering(String node) {
        long since = sinceLastProbes(3);
        return since >= 0 && answers().stream().anyMatch(w -> w.endsWith(" " + node) && micros(w) >= since);
    }

    /** Whether three probes have gone out since {@code node} last answered (it answers no more). */
    boolean silent(String node) {
        long since = sinceLastProbes(3);
        return since >= 0 && answers().stream().noneMatch(w -> w.endsWith(" " + node) && micros(w) >= since);
    }

    private long sinceLastProbes(int n) {
        synchronized (probes) {
            return probes.size() < n ? -1 : probes.get(probes.size() - n);
        }
    }

    static long micros(String answer) {
        return Long.parseLong(answer.substring(0, answer.indexOf(' ')));
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        watch.close();
    }
}
