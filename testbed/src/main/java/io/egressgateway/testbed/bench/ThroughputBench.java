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
 * A third path, a selected pod on the gateway node itself (SNAT, no tunnel), tells how much of a
 * gap is the tunnel and how much the gateway's rules and extra hop.
 */
final class ThroughputBench {
    static final int SINK_PORT = 5201;
    private static final String TUNNEL = "egress-vxlan-v4";
    private static final String UNDERLAY = "eth0";
    private static final List<String> FEATURES = List.of("tx-checksumming", "rx-checksumming",
            "tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation", "generic-segmentation-offload",
            "generic-receive-offload");

    /** Gbit/s of every run per path, the addresses the receiver saw, and the tunnel's checksum settings. */
    record Result(List<Double> direct, List<Double> gateway, List<Double> local, Set<String> directSeenFrom,
            Set<String> gatewaySeenFrom, Set<String> localSeenFrom, List<String> offload) {
        double ratio() {
            return Stats.median(gateway) / Stats.median(direct);
        }
    }

    private ThroughputBench() {
    }

    private enum Path { DIRECT, GATEWAY, LOCAL }

    static Result run(BenchBed bed, int runs, Duration each) throws Exception {
        java.util.Map<Path, List<Double>> gbit = new java.util.EnumMap<>(Path.class);
        java.util.Map<Path, Set<String>> from = new java.util.EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            gbit.put(p, new ArrayList<>());
            from.put(p, new LinkedHashSet<>());
        }
        String host = bed.testbed.externalAddress();
        try (BulkSink sink = BulkSink.start(bed.testbed.externalNetns(), SINK_PORT)) {
            for (int i = 1; i <= runs; i++) {
                // Rotate the order, so that no path always runs right after the same other one.
                for (int k = 0; k < 3; k++) {
                    Path path = Path.values()[(i - 1 + k) % 3];
                    String pod = switch (path) {
                        case DIRECT -> BenchBed.DIRECT;
                        case GATEWAY -> BenchBed.SHOP;
                        case LOCAL -> BenchBed.localPod(bed.activeGateway());
                    };
                    BulkSender.Result r = BulkSender.send(bed.testbed.pod(pod).netns(), host, sink.port(), each);
                    gbit.get(path).add(r.gbitPerSecond());
                    from.get(path).add(r.seenFrom());
                    bed.log.printf("bench: throughput run %d/%d %s (%s): %.2f Gbit/s (%d MB in %.1f s, seen from %s)%n", i,
                            runs, path.name().toLowerCase(), pod, r.gbitPerSecond(), r.bytes() / 1_000_000, r.nanos() / 1e9,
                            r.seenFrom());
                }
            }
        }
        return new Result(gbit.get(Path.DIRECT), gbit.get(Path.GATEWAY), gbit.get(Path.LOCAL), from.get(Path.DIRECT),
                from.get(Path.GATEWAY), from.get(Path.LOCAL), offload(bed));
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
                + " rotating runs of " + each.toSeconds() + " s each)", "path", "seen from", "runs (Gbit/s)",
                "median Gbit/s");
        t.row("direct (unselected pod on node1)", String.join(",", r.directSeenFrom()), joined(r.direct()),
                Stats.median(r.direct()));
        t.row("gateway (selected pod on node1, via VXLAN)", String.join(",", r.gatewaySeenFrom()), joined(r.gateway()),
                Stats.median(r.gateway()));
        t.row("gateway-local (selected pod on the EIP's node: SNAT, no tunnel)", String.join(",", r.localSeenFrom()),
                joined(r.local()), Stats.median(r.local()));
        t.note(String.format(java.util.Locale.ROOT, "ratio median(gateway) / median(direct) = %.3f (goal >= 0.95)",
                r.ratio()));
        t.note(String.format(java.util.Locale.ROOT, "for comparison, median(gateway-local) / median(direct) = %.3f",
                Stats.median(r.local()) / Stats.median(r.direct())));
        r.offload().forEach(t::note);
        return t.build();
    }

    private static String joined(List<Double> v) {
        return String.join(" ", v.stream().map(Table::fmt).toList());
    }
}
