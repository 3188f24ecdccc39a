package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.FdbEntry;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.LinkAddress;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.datapath.Neighbour;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away shell applier for tests only: turns diff operations into ip / bridge / ipset /
 * iptables-restore commands run inside one network namespace. It exists to prove the planned rule
 * set in a real kernel; the product's applier is the Linux adapter (rtnetlink, restores).
 */
final class NetnsApplier {
    private NetnsApplier() {
    }

    static void apply(String ns, List<DatapathOp> ops) throws IOException, InterruptedException {
        StringBuilder sh = new StringBuilder("set -e\n");
        List<String> sysctls = new ArrayList<>();
        StringBuilder ipset = new StringBuilder();
        StringBuilder ipsetDeletes = new StringBuilder();
        StringBuilder[] restore = {new StringBuilder(), new StringBuilder()};
        List<IptablesJump> jumps = new ArrayList<>();
        for (DatapathOp op : ops) {
            boolean delete = op.action() == DatapathOp.Action.DELETE;
            if (op.object() instanceof Sysctl s) {
                sysctls.add("sysctl -q -w " + s.path().replace('/', '.') + "=" + s.value() + "\n");
            } else if (op.object() instanceof TunnelLink l) {
                sh.append(delete ? "ip link del " + l.name() + "\n"
                    : "ip link add " + l.name() + " type vxlan id " + l.vni() + " dstport " + l.port() + " dev " + l.parent()
                            + " local " + l.localIp() + " nolearning\nip link set " + l.name() + " address " + l.mac() + " mtu "
                            + l.mtu() + " up\n");
            } else if (op.object() instanceof LinkAddress a) {
                sh.append("ip addr " + (delete ? "del " : "add ") + a.cidr() + " dev " + a.device()
                    + (delete ? "" : " noprefixroute" + (a.cidr().contains(":") ? " nodad" : "")) + "\n");
            } else if (op.object() instanceof Neighbour n) {
                sh.append(delete ? "ip neigh del " + n.ip() + " dev " + n.device() + "\n"
                    : "ip neigh replace " + n.ip() + " lladdr " + n.mac() + " dev " + n.device() + " nud permanent\n");
            } else if (op.object() instanceof FdbEntry f) {
                sh.append("bridge fdb " + (delete ? "del " : "append ") + f.mac() + " dev " + f.device() + " dst "
                    + f.destination() + " self" + (delete ? "" : " permanent") + "\n");
            } else if (op.object() instanceof IpSet s) {
                if (delete) {
                    ipsetDeletes.append("destroy " + s.name() + "\n");
                } else {
                    ipset.append("create " + s.name() + " hash:net family " + (s.family() == Family.IPV4 ? "inet" : "inet6")
                            + " -exist\nflush " + s.name() + "\n");
                    s.members().forEach(m -> ipset.append("add " + s.name() + " " + m + "\n"));
                }
            } else if (op.object() instanceof Route r) {
                sh.append("ip -" + (r.family() == Family.IPV4 ? "4" : "6") + " route " + (delete ? "del " : "replace ")
                    + (r.type() == Route.Type.UNREACHABLE ? "unreachable " : "") + r.destination() + " table "
                    + Long.toUnsignedString(r.table()) + (delete ? "" : hops(r.nextHops())) + "\n");
            } else if (op.object() instanceof RouteRule r) {
                sh.append("ip -" + (r.family() == Family.IPV4 ? "4" : "6") + " rule " + (delete ? "del" : "add")
                    + " pref " + r.priority() + " fwmark " + Marks.hex(r.mark()) + "/" + Marks.hex(r.mask()) + " lookup "
                    + Long.toUnsignedString(r.table()) + "\n");
            } else if (op.object() instanceof IptablesChain c) {
                StringBuilder t = restore[c.family() == Family.IPV4 ? 0 : 1];
                t.append("*" + c.table() + "\n:" + c.chain() + " - [0:0]\n");
                for (IptablesRule rule : c.rules()) {
                    t.append("-A " + c.chain() + " " + rule.restoreSpec() + "\n");
                }
                t.append("COMMIT\n");
            } else if (op.object() instanceof IptablesJump j) {
                if (!delete && op.action() == DatapathOp.Action.ADD) {
                    jumps.add(j);
                }
            }
        }
        jumps.sort(Comparator.comparing(IptablesJump::position));
        for (IptablesJump j : jumps) {
            restore[j.family() == Family.IPV4 ? 0 : 1].append("*" + j.table() + "\n-I " + j.chain() + " " + j.position() + " "
                    + j.rule().restoreSpec() + "\nCOMMIT\n");
        }
        StringBuilder all = new StringBuilder(sh);
        if (ipset.length() > 0) {
            all.append("ipset restore <<'EOF'\n").append(ipset).append("EOF\n");
        }
        sysctls.forEach(all::append);
        if (restore[0].length() > 0) {
            all.append("iptables-restore --noflush <<'EOF'\n").append(restore[0]).append("EOF\n");
        }
        if (restore[1].length() > 0) {
            all.append("ip6tables-restore --noflush <<'EOF'\n").append(restore[1]).append("EOF\n");
        }
        if (ipsetDeletes.length() > 0) {
            // Only after the rules that referenced them are gone: the kernel refuses to destroy a set in use.
            all.append("ipset restore <<'EOF'\n").append(ipsetDeletes).append("EOF\n");
        }
        run(ns, all.toString());
    }

    private static String hops(List<NextHop> hops) {
        if (hops.isEmpty()) {
            return "";
        }
        if (hops.size() == 1) {
            return " " + hops.get(0).render();
        }
        StringBuilder sb = new StringBuilder();
        hops.forEach(h -> sb.append(" nexthop ").append(h.render()));
        return sb.toString();
    }

    /** Runs a shell script in a namespace; fails with its output when it fails. */
    static String run(String ns, String script) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(ns == null ? List.of() : List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of("sh", "-c", script));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("in netns " + ns + " the script failed:\n" + script + "\n---\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
