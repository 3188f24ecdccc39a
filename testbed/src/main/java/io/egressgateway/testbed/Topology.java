package io.egressgateway.testbed;

import io.egressgateway.testbed.netns.Netns;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the namespaces and wiring of one run (see {@code docs/testbed.md}): the {@code fabric}
 * bridge, the node namespaces set up like real nodes, the pods on their nodes, the external host.
 * Every namespace made is remembered at once, so {@link #destroy()} removes exactly those, also
 * after a half-finished build.
 */
final class Topology {
    private static final Logger LOG = LoggerFactory.getLogger(Topology.class);

    private final String prefix;
    private final TestbedOptions options;
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());

    Topology(String prefix, TestbedOptions options) {
        this.prefix = prefix;
        this.options = options;
    }

    String fabric() {
        return prefix + "fabric";
    }

    /** The control plane's namespace: etcd, kube-apiserver, kube-controller-manager and the product's controller. */
    String controlPlane() {
        return prefix + "cp";
    }

    /** Creates the control plane's namespace (loopback only: it is reached through a relay, see ControlPlane). */
    void buildControlPlane() {
        make(controlPlane());
    }

    /** Puts the control plane's namespace on the underlay (container mode: the nodes reach the API server there). */
    void uplinkControlPlane() {
        uplink(controlPlane(), "cp", Addressing.CONTROL_PLANE_V4, Addressing.CONTROL_PLANE_V6);
    }

    String external() {
        return prefix + "external";
    }

    String node(int i) {
        return prefix + "node" + i;
    }

    String pod(String name) {
        return prefix + "pod-" + name;
    }

    void build() {
        long start = System.nanoTime();
        make(fabric());
        ip(fabric(), "link", "add", "br0", "type", "bridge");
        ip(fabric(), "link", "set", "br0", "up");
        for (int i = 1; i <= options.nodes(); i++) {
            buildNode(i);
        }
        buildExternal();
        int[] perNode = new int[options.nodes() + 1];
        for (TestbedOptions.PodSpec p : options.pods()) {
            buildPod(p, perNode[p.node()]++);
        }
        LOG.info("testbed: topology up prefix={} nodes={} pods={} in {} ms", prefix, options.nodes(),
                options.pods().size(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Index (0-based, per node) of each pod, in the order of the options: decides the pod's addresses. */
    int podIndex(TestbedOptions.PodSpec pod) {
        int k = 0;
        for (TestbedOptions.PodSpec p : options.pods()) {
            if (p.equals(pod)) {
                return k;
            }
            if (p.node() == pod.node()) {
                k++;
            }
        }
        throw new IllegalArgumentException("unknown pod " + pod.name());
    }

    private void buildNode(int i) {
        String ns = node(i);
        make(ns);
        sysctl(ns, "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=1", "net.ipv4.conf.default.rp_filter=1",
                "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0");
        uplink(ns, "node" + i, Addressing.nodeV4(i), Addressing.nodeV6(i));
        ip(ns, "route", "add", "default", "via", Addressing.EXTERNAL_V4, "dev", "eth0");
        if (options.dualStack()) {
            ip(ns, "-6", "route", "add", "default", "via", Addressing.EXTERNAL_V6, "dev", "eth0");
        }
        for (int j = 1; j <= options.nodes(); j++) {
            if (j != i) {
                // Stands in for the CNI: every other node's pod CIDR over the underlay.
                ip(ns, "route", "add", Addressing.podCidrV4(j), "via", Addressing.nodeV4(j), "dev", "eth0");
                if (options.dualStack()) {
                    ip(ns, "-6", "route", "add", Addressing.podCidrV6(j), "via", Addressing.nodeV6(j), "dev", "eth0");
                }
            }
        }
        cniRules(ns, false, Addressing.CLUSTER_POD_CIDR_V4);
        if (options.dualStack()) {
            cniRules(ns, true, Addressing.CLUSTER_POD_CIDR_V6);
        }
    }

    /** What a CNI and kube-proxy leave on a real node, so the datapath meets them here too. */
    private void cniRules(String ns, boolean v6, String podCidr) {
        String ipt = options.backend().iptables(v6);
        ProcessRunner.runIn(ns, List.of(ipt, "-w", "-t", "nat", "-A", "POSTROUTING", "-s", podCidr, "!", "-d", podCidr,
                "-j", "MASQUERADE"));
        ProcessRunner.runIn(ns, List.of(ipt, "-w", "-A", "FORWARD", "-m", "conntrack", "--ctstate", "INVALID",
                "-j", "DROP"));
    }

    private void buildExternal() {
        String ns = external();
        make(ns);
        sysctl(ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        uplink(ns, "ext", Addressing.EXTERNAL_V4, Addressing.EXTERNAL_V6);
        ip(ns, "addr", "add", Addressing.EXTERNAL_EXTRA_V4 + "/24", "dev", "eth0");
        if (options.dualStack()) {
            ip(ns, "-6", "addr", "add", Addressing.EXTERNAL_EXTRA_V6 + "/64", "dev", "eth0", "nodad");
        }
    }

    /** Routes the pod CIDRs from the external host to their nodes (only the mode-None test wants this). */
    void routePodCidrsFromExternal() {
        for (int i = 1; i <= options.nodes(); i++) {
            ip(external(), "route", "replace", Addressing.podCidrV4(i), "via", Addressing.nodeV4(i));
            if (options.dualStack()) {
                ip(external(), "-6", "route", "replace", Addressing.podCidrV6(i), "via", Addressing.nodeV6(i));
            }
        }
    }

    private void uplink(String ns, String bridgePort, String v4, String v6) {
        ip(fabric(), "link", "add", bridgePort, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip(fabric(), "link", "set", bridgePort, "master", "br0", "up");
        ip(ns, "addr", "add", v4 + "/24", "dev", "eth0");
        if (options.dualStack()) {
            ip(ns, "-6", "addr", "add", v6 + "/64", "dev", "eth0", "nodad");
        }
        ip(ns, "link", "set", "eth0", "up");
    }

    void buildPod(TestbedOptions.PodSpec p, int k) {
        String ns = pod(p.name());
        String nodeNs = node(p.node());
        String veth = "veth" + k;
        make(ns);
        sysctl(ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        ip(nodeNs, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        String podV4 = Addressing.podV4(p.node(), k);
        String gw = Addressing.podGatewayV4(p.node());
        ip(nodeNs, "addr", "add", gw + "/32", "dev", veth);
        ip(nodeNs, "link", "set", veth, "up");
        ip(nodeNs, "route", "add", podV4 + "/32", "dev", veth, "scope", "link");
        ip(ns, "addr", "add", podV4 + "/32", "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
        ip(ns, "route", "add", gw, "dev", "eth0", "scope", "link");
        ip(ns, "route", "add", "default", "via", gw, "dev", "eth0");
        if (options.dualStack()) {
            String podV6 = Addressing.podV6(p.node(), k);
            ip(nodeNs, "-6", "addr", "add", Addressing.POD_GATEWAY_V6 + "/64", "dev", veth, "nodad");
            ip(nodeNs, "-6", "route", "add", podV6 + "/128", "dev", veth);
            ip(ns, "-6", "addr", "add", podV6 + "/128", "dev", "eth0", "nodad");
            ip(ns, "-6", "route", "add", "default", "via", Addressing.POD_GATEWAY_V6, "dev", "eth0");
        }
    }

    private void make(String ns) {
        created.add(ns);
        Netns.create(ns);
    }

    /** Removes every namespace this run made (pods first), killing what still runs in them. */
    void destroy() {
        List<String> names;
        synchronized (created) {
            names = new ArrayList<>(created);
            created.clear();
        }
        Collections.reverse(names);
        for (String ns : names) {
            Netns.delete(ns);
        }
    }

    private static void sysctl(String ns, String... settings) {
        List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        argv.addAll(List.of(settings));
        ProcessRunner.runIn(ns, argv);
    }

    private static void ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        ProcessRunner.run(argv);
    }
}
