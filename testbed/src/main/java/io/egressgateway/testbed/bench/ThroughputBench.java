package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Throughput of one bulk TCP stream from a pod on node1 to the external host, through the gateway
 * (a selected pod: node1 -> VXLAN -> gateway -> SNAT to the EIP) and on the direct path (an
 * unselected pod: node1's own masquerade), in alternating runs so that a change in the machine's
 * load hits both paths alike. The goal (datapath.md) is median(gateway) / median(direct) >= 0.95.
 */
final class ThroughputBench {
    static final int SINK_PORT = 5201;
    private static final String TUNNEL = "egress-vxlan-v4";
    private static final String UNDERLAY = "eth0";
    private static final List<String> FEATURES = List.of("tx-checksumming", "rx-checksumming",
            "tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation", "generic-segmentation-offload",
            "generic-receive-offload");

    /** Gbit/s of every run per path, the addresses the receiver saw, and the tunnel's checksum settings. */
    record Result(List<Double> direct, List<Double> gateway, Set<String> directSeenFrom, Set<String> gatewaySeenFrom,
            List<String> offload) {
        double ratio() {
            return Stats.median(gateway) / Stats.median(direct);
        }
    }

    private ThroughputBench() {
    }

    static Result run(BenchBed bed, int runs, Duration each) throws Exception {
        List<Double> direct = new ArrayList<>();
        List<Double> gateway = new ArrayList<>();
        Set<String> directFrom = new LinkedHashSet<>();
        Set<String> gatewayFrom = new LinkedHashSet<>();
        String host = bed.testbed.externalAddress();
        try (BulkSink sink = BulkSink.start(bed.testbed.externalNetns(), SINK_PORT)) {
            for (int i = 1; i <= runs; i++) {
                // Alternate which path goes first, so neither always runs right after the other's warm-up.
                boolean directFirst = i % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean isDirect = (k == 0) == directFirst;
                    String pod = isDirect ? BenchBed.DIRECT : BenchBed.SHOP;
                    BulkSender.Result r = BulkSender.send(bed.testbed.pod(pod).netns(), host, sink.port(), each);
                    (isDirect ? direct : gateway).add(r.gbitPerSecond());
                    (isDirect ? directFrom : gatewayFrom).add(r.seenFrom());
                    bed.log.printf("bench: throughput run %d/%d %s: %.2f Gbit/s (%d MB in %.1f s, seen from %s)%n", i, runs,
                            isDirect ? "direct" : "gateway", r.gbitPerSecond(), r.bytes() / 1_000_000, r.nanos() / 1e9,
                            r.seenFrom());
                }
            }
        }
        return new Result(direct, gateway, directFrom, gatewayFrom, offload(bed));
    }

    /**
     * Checksum and segmentation settings of the tunnel device and the underlay device under it, on
     * node1 and the active gateway, as far as this machine can tell (ethtool may be missing).
     */
    private static List<String> offload(BenchBed bed) {
        List<String> lines = new ArrayList<>();
        boolean ethtool = ProcessRunner.tryRun(List.of("sh", "-c", "command -v ethtool"), Duration.ofSeconds(5)).ok();
        for (String node : List.of("node1", bed.activeGateway())) {
            String ns = bed.testbed.nodeNetns(node);
            ProcessRunner.Result link = bed.testbed.tryExec(ns, List.of("ip", "-d", "link", "show", TUNNEL));
            String udp = !link.ok() ? "no " + TUNNEL + " device"
                    : link.stdout().contains("noudpcsum") ? "outer UDP checksum off (noudpcsum)"
                    : link.stdout().contains("udpcsum") ? "outer UDP checksum on (udpcsum)" : "udpcsum not shown by ip";
            StringBuilder b = new StringBuilder(node + " " + TUNNEL + ": " + udp);
            if (!ethtool) {
                b.append("; ethtool not installed, so the devices' offload features (tx/rx checksumming) are unknown");
            } else {
                for (String dev : List.of(TUNNEL, UNDERLAY)) {
                    b.append("; ").append(dev).append(": ").append(features(bed, ns, dev));
                }
            }
            lines.add(b.toString());
        }
        return lines;
    }

    private static String features(BenchBed bed, String ns, String dev) {
        ProcessRunner.Result k = bed.testbed.tryExec(ns, List.of("ethtool", "-k", dev));
        List<String> picked = new ArrayList<>();
        for (String l : k.stdout().split("\n")) {
            String t = l.trim();
            for (String f : FEATURES) {
                if (t.startsWith(f + ":")) {
                    picked.add(t);
                }
            }
        }
        return k.ok() ? String.join(", ", picked) : "ethtool -k failed: " + k.stderr().strip();
    }

    static Table table(Result r, int runs, Duration each) {
        Table.Builder t = new Table.Builder("Throughput: gateway path vs direct path (one TCP stream, " + runs
                + " alternating runs of " + each.toSeconds() + " s each)", "path", "seen from", "runs (Gbit/s)",
                "median Gbit/s");
        t.row("direct (unselected pod on node1)", String.join(",", r.directSeenFrom()), joined(r.direct()),
                Stats.median(r.direct()));
        t.row("gateway (selected pod on node1, via VXLAN)", String.join(",", r.gatewaySeenFrom()), joined(r.gateway()),
                Stats.median(r.gateway()));
        t.note(String.format(java.util.Locale.ROOT, "ratio median(gateway) / median(direct) = %.3f (goal >= 0.95)",
                r.ratio()));
        r.offload().forEach(t::note);
        return t.build();
    }

    private static String joined(List<Double> v) {
        return String.join(" ", v.stream().map(Table::fmt).toList());
    }
}
