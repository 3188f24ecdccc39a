package io.egressgateway.application.ctl;

import io.egressgateway.application.port.in.EgressStatusView;
import io.egressgateway.application.port.in.EgressStatusView.GatewayLine;
import io.egressgateway.application.port.in.EgressStatusView.GatewayNodeLine;
import io.egressgateway.application.port.in.EgressStatusView.NodeLine;
import io.egressgateway.application.port.in.EgressStatusView.PolicyLine;
import io.egressgateway.application.port.in.ShowEgressStatusUseCase;
import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.application.port.out.ReadEgressStatePort;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.move.EipMoveRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The whole state from one read: what {@code kubectl get egw,egwp,egn} shows, plus what it cannot:
 * each gateway node's EIPs, heartbeat ages and tunnel state. Ages use this machine's clock against
 * the agents' renewTime, so clock skew shows in them.
 */
public final class StatusReport implements ShowEgressStatusUseCase {
    private final ReadEgressStatePort read;
    private final Clock clock;

    public StatusReport(ReadEgressStatePort read, Clock clock) {
        this.read = read;
        this.clock = clock;
    }

    @Override
    public EgressStatusView status() {
        return of(read.read(), clock.instant());
    }

    /** Pure: the view of a state at a time. */
    public static EgressStatusView of(EgressState s, Instant now) {
        List<GatewayLine> gws = s.gateways().stream().map(g -> gateway(g, s)).toList();
        List<PolicyLine> pols = s.policies().stream().map(p -> policy(p, s)).toList();
        TreeSet<String> names = new TreeSet<>();
        s.nodes().forEach(n -> names.add(n.name()));
        s.egressNodes().forEach(n -> names.add(n.name()));
        List<NodeLine> nodes = new ArrayList<>();
        for (String n : names) {
            Optional<EgressNode> en = s.egressNode(n);
            Instant hb = s.heartbeats().get(n);
            Optional<Condition> tunnel = en.flatMap(e -> e.conditions().stream()
                    .filter(c -> c.type().equals("TunnelReady")).findFirst());
            nodes.add(new NodeLine(n, en.map(e -> e.phase() == null ? "" : e.phase().name()).orElse("(no EgressNode)"),
                    hb == null ? null : Math.max(0, now.toEpochMilli() - hb.toEpochMilli()),
                    tunnel.map(c -> c.status() == Condition.Status.True ? "Ready" : "NotReady (" + c.reason() + ")")
                            .orElse("unknown"),
                    en.map(EgressNode::tunnelIPv4).orElse(null), en.map(EgressNode::tunnelIPv6).orElse(null)));
        }
        return new EgressStatusView(gws, pols, nodes);
    }

    private static GatewayLine gateway(Gateway g, EgressState s) {
        var st = g.status();
        List<GatewayNodeLine> nodes = st == null ? List.of() : st.nodeList().stream().map(StatusReport::node).toList();
        String ready = st == null ? "" : st.nodeList().stream().filter(n -> n.status() == NodeReadiness.Ready).count()
                + "/" + st.nodeList().size();
        var usage = st == null ? null : st.ipUsage();
        String move = s.moveRequests().get(g.name());
        String moveState = st == null ? null : st.conditions().stream()
                .filter(c -> c.type().equals(EipMoveRequest.CONDITION)).findFirst()
                .map(c -> c.reason() + ": " + c.message()).orElse(null);
        return new GatewayLine(g.name(), st == null || st.forwardMethod() == null ? null : st.forwardMethod().text(), ready,
                nodes, usage == null ? null : usage.ipv4Total(), usage == null ? null : usage.ipv4Free(),
                usage == null ? null : usage.ipv6Total(), usage == null ? null : usage.ipv6Free(), move, moveState);
    }

    private static GatewayNodeLine node(GatewayNode n) {
        List<String> eips = new ArrayList<>();
        for (EipAssignment a : n.eips()) {
            List<String> ips = new ArrayList<>();
            if (a.ipv4() != null) {
                ips.add(a.ipv4());
            }
            if (a.ipv6() != null) {
                ips.add(a.ipv6());
            }
            eips.add(String.join("+", ips) + " " + a.policies());
        }
        return new GatewayNodeLine(n.name(), n.status() == null ? "" : n.status().name(), n.active(), eips);
    }

    private static PolicyLine policy(Policy p, EgressState s) {
        var st = p.status();
        String gw = p.egressGatewayName();
        if (gw == null || gw.isEmpty()) {
            gw = s.gateways().stream().filter(Gateway::clusterDefault).map(Gateway::name).findFirst().orElse("");
        }
        String node = st == null ? null : st.node() != null ? st.node() : st.nodes().isEmpty() ? null : String.join(",", st.nodes());
        return new PolicyLine(p.name(), p.priority(), gw, st == null ? null : st.eipV4(), st == null ? null : st.eipV6(), node,
                st == null ? 0 : st.endpoints(), condition(p, "Programmed"), condition(p, "Ready"));
    }

    private static String condition(Policy p, String type) {
        if (p.status() == null) {
            return "";
        }
        return p.status().conditions().stream().filter(c -> c.type().equals(type)).findFirst()
                .map(c -> type.equals("Programmed") ? c.message() : c.status() + (c.status() == Condition.Status.True ? ""
                        : " (" + c.reason() + ")")).orElse("");
    }
}
