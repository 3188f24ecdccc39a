package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.PodHandle;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Throughput of one bulk TCP stream from a pod on node1 to the external host, through the gateway
 * (a selected pod: node1 -> VXLAN -> gateway -> SNAT to the EIP) and on the direct path (an
 * unselected pod: node1's own masquerade), in alternating runs so that a change in the machine's
 * load hits both paths alike. The goal (datapath.md) is median(gateway) / median(direct) >= 0.95.
 * A third path, a selected pod on the gateway node itself (SNAT, no tunnel), tells how much of a
 * gap is the tunnel and how much the gateway's rules and extra hop.
 *
 * <p>Every path is measured under up to three settings: the testbed's veths as built (GRO off, the
 * veth default); NIC-like, GRO on every veth as a NIC has it (the setting the budget is judged on,
 * benchmarks.md); and separate machines, NIC-like with the sending machine's work on one CPU and the
 * gateway's and the external host's on the other ({@link SeparateMachines}), as a cluster runs the
 * gateway's hop on the gateway's CPU instead of inline in the sender's softirq.
 */
final class ThroughputBench {
    static final int SINK_PORT = 5201;
    private static final String TUNNEL = "egress-vxlan-v4";

    static final String NIC_LIKE = "NIC-like (GRO on every veth)";
    static final String SEPARATE = "separate machines (NIC-like; node1 on CPU 0, the gateways and the external host on CPU 1)";

    private enum Kind { DIRECT, GATEWAY, LOCAL }

    /** The runs of one path under one underlay setting. */
    record Runs(List<Double> gbit, List<Double> cpuMsPerGb, Set<String> seenFrom) {
        double median() {
            return Stats.median(gbit);
        }

        double cpuMedian() {
            return cpuMsPerGb.isEmpty() || cpuMsPerGb.contains(-1.0) ? Double.NaN : Stats.median(cpuMsPerGb);
        }
    }

    /** The three paths under one underlay setting. */
    record Setting(String underlay, Runs direct, Runs gateway, Runs local) {
        double ratio() {
            return gateway.median() / direct.median();
        }

        /** CPU per GB of the direct path over that of the gateway path: the ratio the CPU cost alone predicts. */
        double costRatio() {
            return direct.cpuMedian() / gateway.cpuMedian();
        }
    }

    /**
     * Every setting measured (the NIC-like one last, when ethtool could set it), the offload features
     * of the devices on the path, and notes (tunnel checksum, the profiles written).
     */
    record Result(List<Setting> settings, int judged, Table offloads, List<String> notes) {
        /** Judges the last setting measured. */
        Result(List<Setting> settings, Table offloads, List<String> notes) {
            this(settings, settings.size() - 1, offloads, notes);
        }

        /** The setting the budget is judged on: NIC-like when it ran, else as built. */
        Setting verdict() {
            return settings.get(judged);
        }

        double ratio() {
            return verdict().ratio();
        }

        /** The setting measured under {@code underlay}, if it ran. */
        java.util.Optional<Setting> setting(String underlay) {
            return settings.stream().filter(s -> s.underlay().equals(underlay)).findFirst();
        }

        List<Double> direct() {
            return verdict().direct().gbit();
        }

        List<Double> gateway() {
            return verdict().gateway().gbit();
        }

        List<Double> local() {
            return verdict().local().gbit();
        }

        Set<String> directSeenFrom() {
            return verdict().direct().seenFrom();
        }

        Set<String> gatewaySeenFrom() {
            return verdict().gateway().seenFrom();
        }

        Set<String> localSeenFrom() {
            return verdict().local().seenFrom();
        }
    }

    private ThroughputBench() {
    }

    /** Runs every path {@code runs} times per setting; with {@code profileDir}, perf profiles of one more run per path. */
    static Result run(BenchBed bed, int runs, Duration each, Path profileDir) throws Exception {
        List<String> notes = new ArrayList<>();
        String gw = bed.activeGateway();
        for (String node : List.of("node1", gw)) {
            notes.add(node + " " + TUNNEL + ": " + Offloads.udpChecksum(bed.testbed.nodeNetns(node), TUNNEL));
        }
        Table offloads = Offloads.table("Offload features of the devices on the gateway path (veths as built)",
                devices(bed, gw));
        List<Setting> settings = new ArrayList<>();
        List<String> namespaces = namespaces(bed);
        try (BulkSink sink = BulkSink.start(bed.testbed.externalNetns(), SINK_PORT)) {
            settings.add(rounds(bed, sink, "veths as built (GRO off)", runs, each));
            if (Offloads.ethtoolInstalled()) {
                List<String> changed = Offloads.setGro(namespaces, true);
                notes.add("NIC-like: generic-receive-offload and rx-udp-gro-forwarding turned on on " + changed.size()
                        + " veths (every pod, node, bridge port and the external host), then back off");
                try {
                    settings.add(rounds(bed, sink, NIC_LIKE, runs, each));
                    if (profileDir != null) {
                        notes.addAll(Profile.paths(bed, sink, each, profileDir));
                    }
                    separateMachines(bed, sink, runs, each, settings, notes);
                } finally {
                    Offloads.setGro(namespaces, false);
                }
            } else {
                notes.add("NIC-like setting not run: ethtool is not installed (Debian package ethtool)");
                if (profileDir != null) {
                    notes.addAll(Profile.paths(bed, sink, each, profileDir));
                }
            }
        }
        if (profileDir != null) {
            Files.writeString(profileDir.resolve("offloads.md"), offloads.markdown());
        }
        int judged = 0;
        for (int i = 0; i < settings.size(); i++) {
            judged = settings.get(i).underlay().equals(NIC_LIKE) ? i : judged;
        }
        return new Result(settings, judged, offloads, notes);
    }

    /** NIC-like, with each machine's work on its own CPU as far as two CPUs go ({@link SeparateMachines}). */
    private static void separateMachines(BenchBed bed, BulkSink sink, int runs, Duration each, List<Setting> settings,
                                         List<String> notes) throws Exception {
        if (!SeparateMachines.possible()) {
            notes.add("separate-machines setting not run: it needs 2 CPUs, this machine has "
                    + Runtime.getRuntime().availableProcessors());
            return;
        }
        List<String> others = new ArrayList<>(List.of(bed.testbed.externalNetns()));
        bed.testbed.nodeNames().stream().filter(n -> !n.equals("node1")).forEach(n -> others.add(bed.testbed.nodeNetns(n)));
        try (SeparateMachines m = SeparateMachines.steer(bed.testbed.nodeNetns("node1"), others)) {
            notes.add("separate machines: the sending thread on CPU " + SeparateMachines.SENDER_CPU + ", the receiving"
                    + " one on CPU " + SeparateMachines.RECEIVER_CPU + "; rps_cpus of node1's underlay veth to CPU "
                    + SeparateMachines.SENDER_CPU + ", of " + (m.steered().size() - 1) + " other hosts' to CPU "
                    + SeparateMachines.RECEIVER_CPU + ", then 0 again; the CPU ms per GB of that setting leaves out the"
                    + " softirq work steered to CPU " + SeparateMachines.RECEIVER_CPU + " outside the receiving thread");
            sink.pinTo(SeparateMachines.RECEIVER_CPU);
            settings.add(rounds(bed, sink, SEPARATE, runs, each, SeparateMachines.SENDER_CPU));
        } catch (IllegalStateException e) {
            notes.add("separate-machines setting not run: " + e.getMessage());
        } finally {
            sink.pinTo(null);
        }
    }

    private static Setting rounds(BenchBed bed, BulkSink sink, String underlay, int runs, Duration each)
            throws Exception {
        return rounds(bed, sink, underlay, runs, each, null);
    }

    /** Every path {@code runs} times; with {@code senderCpu}, the sending thread pinned to that CPU. */
    private static Setting rounds(BenchBed bed, BulkSink sink, String underlay, int runs, Duration each,
                                  String senderCpu) throws Exception {
        Map<Kind, List<Double>> gbit = new EnumMap<>(Kind.class);
        Map<Kind, List<Double>> cpu = new EnumMap<>(Kind.class);
        Map<Kind, Set<String>> from = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            gbit.put(k, new ArrayList<>());
            cpu.put(k, new ArrayList<>());
            from.put(k, new LinkedHashSet<>());
        }
        for (int i = 1; i <= runs; i++) {
            // Rotate the order, so that no path always runs right after the same other one.
            for (int k = 0; k < 3; k++) {
                Kind path = Kind.values()[(i - 1 + k) % 3];
                String pod = pod(bed, path);
                BulkSender.Result r = BulkSender.send(bed.testbed.pod(pod).netns(), bed.testbed.externalAddress(),
                        sink.port(), each, tid -> {
                            if (senderCpu != null) {
                                SeparateMachines.pin(tid, senderCpu);
                            }
                        });
                gbit.get(path).add(r.gbitPerSecond());
                cpu.get(path).add(r.cpuMsPerGb());
                from.get(path).add(r.seenFrom());
                bed.log.printf(Locale.ROOT, "bench: throughput %s run %d/%d %s (%s): %.2f Gbit/s, %.0f CPU ms/GB (%d MB in"
                        + " %.1f s, seen from %s)%n", underlay, i, runs, path.name().toLowerCase(Locale.ROOT), pod,
                        r.gbitPerSecond(), r.cpuMsPerGb(), r.bytes() / 1_000_000, r.nanos() / 1e9, r.seenFrom());
            }
        }
        return new Setting(underlay, runs(gbit, cpu, from, Kind.DIRECT), runs(gbit, cpu, from, Kind.GATEWAY),
                runs(gbit, cpu, from, Kind.LOCAL));
    }

    private static Runs runs(Map<Kind, List<Double>> g, Map<Kind, List<Double>> c, Map<Kind, Set<String>> f, Kind k) {
        return new Runs(List.copyOf(g.get(k)), List.copyOf(c.get(k)), Set.copyOf(f.get(k)));
    }

    private static String pod(BenchBed bed, Kind path) {
        return switch (path) {
            case DIRECT -> BenchBed.DIRECT;
            case GATEWAY -> BenchBed.SHOP;
            case LOCAL -> BenchBed.localPod(bed.activeGateway());
        };
    }

    /** Every namespace of the testbed with veths: fabric, external host, nodes, pods. */
    private static List<String> namespaces(BenchBed bed) {
        List<String> ns = new ArrayList<>(List.of(bed.testbed.fabricNetns(), bed.testbed.externalNetns()));
        bed.testbed.nodeNames().forEach(n -> ns.add(bed.testbed.nodeNetns(n)));
        bed.testbed.pods().stream().map(PodHandle::netns).forEach(ns::add);
        return ns;
    }

    /** The devices a packet of the gateway path crosses, in order, with their namespaces. */
    private static List<Offloads.Device> devices(BenchBed bed, String gw) {
        String pod = bed.testbed.pod(BenchBed.SHOP).netns();
        String node1 = bed.testbed.nodeNetns("node1");
        String gwNs = bed.testbed.nodeNetns(gw);
        String fabric = bed.testbed.fabricNetns();
        return List.of(new Offloads.Device("pod eth0 (" + BenchBed.SHOP + ")", pod, "eth0"),
                new Offloads.Device("node1 end of the pod's veth", node1, peer(pod, "eth0", node1)),
                new Offloads.Device("node1 VXLAN", node1, TUNNEL),
                new Offloads.Device("node1 underlay", node1, "eth0"),
                new Offloads.Device("bridge port of node1", fabric, "node1"),
                new Offloads.Device("bridge port of " + gw, fabric, gw),
                new Offloads.Device(gw + " underlay", gwNs, "eth0"),
                new Offloads.Device(gw + " VXLAN", gwNs, TUNNEL),
                new Offloads.Device("external host", bed.testbed.externalNetns(), "eth0"));
    }

    /** The name, in {@code peerNs}, of the other end of veth {@code dev} in {@code ns}. */
    private static String peer(String ns, String dev, String peerNs) {
        String self = ProcessRunner.runIn(ns, List.of("ip", "-o", "link", "show", dev)).stdout();
        int at = self.indexOf("@if");
        if (at < 0) {
            return "?";
        }
        String index = self.substring(at + 3, self.indexOf(':', at));
        for (String line : ProcessRunner.runIn(peerNs, List.of("ip", "-o", "link")).stdout().split("\n")) {
            if (line.startsWith(index + ":")) {
                return line.split(":\\s+", 3)[1].split("@")[0].trim();
            }
        }
        return "?";
    }

    static List<Table> tables(Result r, int runs, Duration each) {
        Table.Builder t = new Table.Builder("Throughput: gateway path vs direct path (one TCP stream, " + runs
                + " rotating runs of " + each.toSeconds() + " s each per setting)", "underlay", "path", "seen from",
                "runs (Gbit/s)", "median Gbit/s", "CPU ms per GB (median)");
        for (Setting s : r.settings()) {
            row(t, s, "direct (unselected pod on node1)", s.direct());
            row(t, s, "gateway (selected pod on node1, via VXLAN)", s.gateway());
            row(t, s, "gateway-local (selected pod on the EIP's node: SNAT, no tunnel)", s.local());
        }
        for (Setting s : r.settings()) {
            t.note(String.format(Locale.ROOT, "%s: ratio median(gateway) / median(direct) = %.3f (goal >= 0.95);"
                    + " gateway-local / direct %.3f; CPU per GB direct / gateway %.3f", s.underlay(), s.ratio(),
                    s.local().median() / s.direct().median(), s.costRatio()));
        }
        t.note("the verdict uses \"" + r.verdict().underlay() + "\"");
        t.note("CPU ms per GB: CPU time of the sending and the receiving thread per 10^9 bytes; the kernel forwards the"
                + " stream through the namespaces in the softirq of the thread that sent each packet, so this is the"
                + " path's CPU cost on this machine (the machine's load moves it far less than the bit rate)");
        r.notes().forEach(t::note);
        return List.of(t.build(), r.offloads());
    }

    private static void row(Table.Builder t, Setting s, String path, Runs runs) {
        t.row(s.underlay(), path, String.join(",", runs.seenFrom()),
                String.join(" ", runs.gbit().stream().map(Table::fmt).toList()), runs.median(),
                Double.isNaN(runs.cpuMedian()) ? "-" : Table.fmt(runs.cpuMedian()));
    }
}
