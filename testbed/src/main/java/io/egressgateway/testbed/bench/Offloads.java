package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The offload features of the devices a benchmark stream crosses, and the switch that makes the
 * testbed's veths behave like a NIC for receive aggregation. A veth has GRO off by default, while a
 * real NIC driver aggregates by default (and aggregates VXLAN with UDP tunnel GRO): with
 * {@link #setGro} on, {@code generic-receive-offload} and {@code rx-udp-gro-forwarding} are turned
 * on for every veth of the testbed (pods, nodes, the fabric's bridge ports, the external host).
 * Needs {@code ethtool}; without it nothing is changed and the report says so.
 */
final class Offloads {
    static final List<String> FEATURES = List.of("tx-checksumming", "rx-checksumming", "tcp-segmentation-offload",
            "generic-segmentation-offload", "generic-receive-offload", "rx-udp-gro-forwarding",
            "tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation");

    /** A device on the path: where it is and what it is for. */
    record Device(String role, String netns, String name) {
    }

    private Offloads() {
    }

    static boolean ethtoolInstalled() {
        return ProcessRunner.tryRun(List.of("sh", "-c", "command -v ethtool"), Duration.ofSeconds(5)).ok();
    }

    /** Turns GRO (and UDP GRO forwarding) on or off on every veth of the given namespaces; the device names it changed. */
    static List<String> setGro(List<String> namespaces, boolean on) {
        List<String> changed = new ArrayList<>();
        for (String ns : namespaces) {
            for (String dev : veths(ns)) {
                ProcessRunner.Result r = ProcessRunner.tryRun(ProcessRunner.inNetns(ns, List.of("ethtool", "-K", dev,
                        "gro", on ? "on" : "off", "rx-udp-gro-forwarding", on ? "on" : "off")), Duration.ofSeconds(10));
                if (!r.ok()) {
                    throw new IllegalStateException("ethtool -K " + dev + " gro in " + ns + " failed: " + r.stderr().strip());
                }
                changed.add(ns + "/" + dev);
            }
        }
        return changed;
    }

    /**
     * Sets receive packet steering on the given veths ({@code netns/device}): {@code cpus} is the hex CPU mask
     * written to every {@code queues/rx-N/rps_cpus} ("0" turns it off). With it, what a veth receives is queued
     * to the backlog of a CPU of the mask (chosen by the flow's hash) instead of being processed inline in the
     * softirq of the thread that sent it; the devices it changed.
     */
    static List<String> setRps(List<String> devices, String cpus) {
        List<String> changed = new ArrayList<>();
        for (String d : devices) {
            String ns = d.substring(0, d.indexOf('/'));
            String dev = d.substring(d.indexOf('/') + 1);
            ProcessRunner.Result r = ProcessRunner.tryRun(ProcessRunner.inNetns(ns, List.of("sh", "-c",
                    "for q in /sys/class/net/" + dev + "/queues/rx-*; do echo " + cpus + " > $q/rps_cpus || exit 1; done")),
                    Duration.ofSeconds(10));
            if (!r.ok()) {
                throw new IllegalStateException("rps_cpus=" + cpus + " for " + dev + " in " + ns + " failed: "
                        + r.stderr().strip());
            }
            changed.add(d);
        }
        return changed;
    }

    /**
     * netns/device of a host's end of its link to the fabric's bridge ({@code ethN}; a node's other veths are its
     * pods', which the testbed names {@code vethK}).
     */
    static List<String> underlayVeths(String host) {
        return veths(host).stream().filter(d -> d.matches("eth\\d+")).map(d -> host + "/" + d).toList();
    }

    /** The veths of {@code ns} (the testbed makes no other device kind but bridges, VXLAN and loopback). */
    static List<String> veths(String ns) {
        ProcessRunner.Result r = ProcessRunner.tryRun(ProcessRunner.inNetns(ns, List.of("ip", "-o", "link", "show",
                "type", "veth")), Duration.ofSeconds(10));
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                names.add(f[1].split("@")[0].trim());
            }
        }
        return names;
    }

    /** One row per device: the features of {@link #FEATURES} as {@code ethtool -k} shows them ("on", "off [fixed]"). */
    static Table table(String title, List<Device> devices) {
        List<String> header = new ArrayList<>(List.of("device", "where"));
        header.addAll(FEATURES);
        Table.Builder t = new Table.Builder(title, header.toArray(String[]::new));
        boolean ethtool = ethtoolInstalled();
        for (Device d : devices) {
            List<Object> row = new ArrayList<>(List.of(d.role(), d.netns().replaceFirst("^egw-[a-z0-9]+-", "") + "/"
                    + d.name()));
            ProcessRunner.Result k = ethtool ? ProcessRunner.tryRun(ProcessRunner.inNetns(d.netns(),
                    List.of("ethtool", "-k", d.name())), Duration.ofSeconds(10)) : null;
            for (String f : FEATURES) {
                row.add(k == null ? "no ethtool" : !k.ok() ? "ethtool failed" : feature(k.stdout(), f));
            }
            t.row(row.toArray());
        }
        if (!ethtool) {
            t.note("ethtool is not installed (Debian package ethtool): the features are unknown and GRO was not changed");
        }
        return t.build();
    }

    static String feature(String ethtoolK, String name) {
        for (String l : ethtoolK.split("\n")) {
            String t = l.trim();
            if (t.startsWith(name + ":")) {
                return t.substring(name.length() + 1).trim();
            }
        }
        return "-";
    }

    /** The outer UDP checksum setting of a VXLAN device, from {@code ip -d link}. */
    static String udpChecksum(String ns, String device) {
        ProcessRunner.Result link = ProcessRunner.tryRun(ProcessRunner.inNetns(ns, List.of("ip", "-d", "link", "show",
                device)), Duration.ofSeconds(10));
        return !link.ok() ? "no " + device + " device"
                : link.stdout().contains("noudpcsum") ? "noudpcsum (outer UDP checksum off)"
                : link.stdout().contains("udpcsum") ? "udpcsum (outer UDP checksum on)" : "not shown by ip";
    }
}
