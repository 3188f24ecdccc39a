package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;

/**
 * The smallest topology the egress path needs, all in namespaces made for the run: an underlay
 * bridge in "fabric", node1 (non-gateway, with pod1 behind a veth), node2 (gateway) and an external
 * host, like a real cluster: rp_filter=1, a CNI-like masquerade rule, a route to the pod CIDR over
 * the underlay on node2 (standing in for the CNI).
 */
final class TwoNodeTopology {
    static final String NODE1_IP = "192.0.2.11";
    static final String NODE2_IP = "192.0.2.12";
    static final String EXT_IP = "192.0.2.100";
    static final String EIP = "192.0.2.200";
    static final String POD1_IP = "198.51.100.2";
    static final String POD_CIDR = "198.51.100.0/24";

    final String fabric;
    final String node1;
    final String node2;
    final String ext;
    final String pod1;

    TwoNodeTopology(Netns netns) {
        fabric = netns.add("fabric");
        node1 = netns.add("node1");
        node2 = netns.add("node2");
        ext = netns.add("ext");
        pod1 = netns.add("pod1");
        exec(fabric, "ip", "link", "add", "br0", "type", "bridge");
        exec(fabric, "ip", "link", "set", "br0", "up");
        plug(node1, "n1", NODE1_IP);
        plug(node2, "n2", NODE2_IP);
        plug(ext, "ex", EXT_IP);
        for (String node : new String[] {node1, node2}) {
            exec(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            exec(node, "sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=1");
            exec(node, "sysctl", "-q", "-w", "net.ipv4.conf.default.rp_filter=1");
        }
        exec(node1, "ip", "link", "add", "pod1", "type", "veth", "peer", "name", "eth0", "netns", pod1);
        exec(node1, "ip", "addr", "add", "198.51.100.1/24", "dev", "pod1");
        exec(node1, "ip", "link", "set", "pod1", "up");
        exec(pod1, "ip", "addr", "add", POD1_IP + "/24", "dev", "eth0");
        exec(pod1, "ip", "link", "set", "eth0", "up");
        exec(pod1, "ip", "route", "add", "default", "via", "198.51.100.1");
        exec(node2, "ip", "route", "add", POD_CIDR, "via", NODE1_IP);
        exec(node2, "ip", "route", "add", "default", "via", EXT_IP);
    }

    private void plug(String ns, String fabricSide, String ip) {
        exec(fabric, "ip", "link", "add", fabricSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        exec(fabric, "ip", "link", "set", fabricSide, "master", "br0", "up");
        exec(ns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        exec(ns, "ip", "link", "set", "eth0", "up");
    }

    static String mac(String ns, String dev) {
        String out = exec(ns, "ip", "-o", "link", "show", "dev", dev);
        int i = out.indexOf("link/ether ");
        return out.substring(i + 11, i + 28);
    }
}
