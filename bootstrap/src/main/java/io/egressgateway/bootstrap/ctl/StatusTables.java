package io.egressgateway.bootstrap.ctl;

import io.egressgateway.application.port.in.EgressStatusView;
import java.util.ArrayList;
import java.util.List;

/** Three tables, columns padded like kubectl's. */
final class StatusTables {
    private StatusTables() {
    }

    static String render(EgressStatusView v) {
        StringBuilder b = new StringBuilder();
        List<List<String>> gw = new ArrayList<>();
        gw.add(List.of("GATEWAY", "NODES", "NODE", "STATUS", "ACTIVE", "EIPS", "IPV4-FREE", "IPV6-FREE", "FORWARD"));
        for (EgressStatusView.GatewayLine g : v.gateways()) {
            String free4 = g.ipv4Total() == null ? "" : g.ipv4Free() + "/" + g.ipv4Total();
            String free6 = g.ipv6Total() == null ? "" : g.ipv6Free() + "/" + g.ipv6Total();
            if (g.nodes().isEmpty()) {
                gw.add(List.of(g.name(), n(g.readyNodes()), "", "", "", "", free4, free6, n(g.forwardMethod())));
            }
            boolean first = true;
            for (EgressStatusView.GatewayNodeLine node : g.nodes()) {
                gw.add(List.of(first ? g.name() : "", first ? n(g.readyNodes()) : "", node.name(), node.status(),
                        node.active() ? "yes" : "no", node.eips().isEmpty() ? "-" : String.join("; ", node.eips()),
                        first ? free4 : "", first ? free6 : "", first ? n(g.forwardMethod()) : ""));
                first = false;
            }
        }
        table(b, gw);
        for (EgressStatusView.GatewayLine g : v.gateways()) {
            if (g.moveRequest() != null) {
                b.append("gateway ").append(g.name()).append(" move request ").append(g.moveRequest()).append(": ")
                        .append(g.moveState() == null ? "not handled yet" : g.moveState()).append('\n');
            }
        }
        b.append('\n');
        List<List<String>> pol = new ArrayList<>();
        pol.add(List.of("POLICY", "PRIORITY", "GATEWAY", "EIPV4", "EIPV6", "NODE", "ENDPOINTS", "PROGRAMMED", "READY"));
        for (EgressStatusView.PolicyLine p : v.policies()) {
            pol.add(List.of(p.name(), Integer.toString(p.priority()), n(p.gateway()), n(p.eipV4()), n(p.eipV6()), n(p.node()),
                    Integer.toString(p.endpoints()), n(p.programmed()), n(p.ready())));
        }
        table(b, pol);
        b.append('\n');
        List<List<String>> nodes = new ArrayList<>();
        nodes.add(List.of("NODE", "PHASE", "HEARTBEAT", "TUNNEL", "TUNNEL-IPV4", "TUNNEL-IPV6"));
        for (EgressStatusView.NodeLine n : v.nodes()) {
            nodes.add(List.of(n.name(), n.phase(), n.heartbeatAgeMillis() == null ? "none" : age(n.heartbeatAgeMillis()),
                    n.tunnel(), n(n.tunnelIPv4()), n(n.tunnelIPv6())));
        }
        table(b, nodes);
        return b.toString();
    }

    static String age(long ms) {
        return ms < 10_000 ? String.format("%.1fs ago", ms / 1000.0) : ms < 600_000 ? ms / 1000 + "s ago" : ms / 60_000 + "m ago";
    }

    private static String n(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static void table(StringBuilder b, List<List<String>> rows) {
        int[] w = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + (w[i] + 3) + "s", r.get(i)));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
