package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The throughput bench's "separate machines" setting: the sending machine (node1 and its pods) on CPU 0,
 * the gateway nodes and the external host on CPU 1, as far as two CPUs can model three machines.
 *
 * <p>On the testbed a stream is forwarded through every namespace in the softirq of the thread that sent
 * it, so the gateway's hop (decapsulation, forwarding, SNAT, the second bridge crossing) is added to the
 * sender's CPU, where a cluster runs it on the gateway's. Here the sending thread is pinned to CPU 0, the
 * receiving one to CPU 1, and receive packet steering sends what each host's underlay veth ({@code ethN})
 * receives to its machine's CPU: node1's to CPU 0 (the ACKs and, on the gateway path, the tunnelled ACKs),
 * every other node's and the external host's to CPU 1. The fabric's bridge has no CPU of its own: its
 * work stays with whoever hands it a packet. The gateway and the receiver share CPU 1, which favours
 * neither path over the other: the gateway path pays for its hop there when CPU 1 is the limit. Unlike the
 * earlier "RPS over every CPU" form, no flow hash picks the CPU, so the runs are not bimodal.
 */
final class SeparateMachines implements AutoCloseable {
    static final String SENDER_CPU = "0";
    static final String RECEIVER_CPU = "1";

    private final List<String> steered;

    private SeparateMachines(List<String> steered) {
        this.steered = steered;
    }

    /** Whether this machine has the two CPUs the setting needs. */
    static boolean possible() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    /**
     * Steers each host's underlay veth to its machine's CPU: {@code senderHost} (node1's namespace) to CPU 0,
     * {@code otherHosts} (the other nodes, the external host) to CPU 1; undone by {@link #close()}.
     */
    static SeparateMachines steer(String senderHost, List<String> otherHosts) {
        List<String> done = new ArrayList<>();
        try {
            done.addAll(Offloads.setRps(Offloads.underlayVeths(senderHost), mask(SENDER_CPU)));
            for (String ns : otherHosts) {
                done.addAll(Offloads.setRps(Offloads.underlayVeths(ns), mask(RECEIVER_CPU)));
            }
            return new SeparateMachines(done);
        } catch (RuntimeException e) {
            Offloads.setRps(done, "0");
            throw e;
        }
    }

    /** The underlay veths steered, {@code netns/device}. */
    List<String> steered() {
        return steered;
    }

    /** Pins Linux thread {@code tid} to {@code cpu} (taskset, util-linux); fails loudly: an unpinned run measures nothing. */
    static void pin(long tid, String cpu) {
        if (tid < 0) {
            throw new IllegalStateException("cannot pin a thread to CPU " + cpu + ": its Linux thread id is unknown");
        }
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of("taskset", "-p", "-c", cpu, Long.toString(tid)),
                Duration.ofSeconds(10));
        if (!r.ok()) {
            throw new IllegalStateException("taskset -p -c " + cpu + " " + tid + " failed: " + r.stderr().strip());
        }
    }

    private static String mask(String cpu) {
        return Long.toHexString(1L << Integer.parseInt(cpu));
    }

    @Override
    public void close() {
        Offloads.setRps(steered, "0");
    }
}
