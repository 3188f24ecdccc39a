package io.egressgateway.application.controller;

import io.egressgateway.application.port.out.RecordEventPort;
import io.egressgateway.domain.election.ElectionResult;
import io.egressgateway.domain.election.PolicyDecision;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events that explain a failover: a gateway node turning NotReady or Ready again, an EIP or a
 * policy's traffic moving to another node, each with the reason (heartbeat, Node condition, gone),
 * counted in {@link ControllerStats} by cause; and a policy getting its EIP.
 */
final class MoveEvents {
    private static final Logger LOG = LoggerFactory.getLogger(MoveEvents.class);
    private final RecordEventPort events;
    private final HeartbeatTracker heartbeats;
    private final ControllerStats stats;
    /**
     * What was last told per policy (a move, an assignment): the informer cache may still show the
     * old status for a pass or two after the write, and a move must be counted once, not per pass.
     */
    private final Map<String, String> told = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 8192;
        }
    };

    /** Why a node stopped carrying traffic, for the failover counter and for people. */
    record Why(ControllerStats.FailoverCause cause, String text) {
    }

    MoveEvents(RecordEventPort events, HeartbeatTracker heartbeats, ControllerStats stats) {
        this.events = events;
        this.heartbeats = heartbeats;
        this.stats = stats;
    }

    /**
     * A policy got an EIP it did not have (first allocation, or a new address after its spec
     * changed): counted as an allocation from its gateway's pool. An EIPAssigned Event on the policy
     * when its EIP is placed on a node after carrying none (first placement, or back after no gateway
     * node was Ready; a move between nodes is EIPMoved).
     */
    void assignedEvents(Policy pol, PolicyDecision d, Gateway gw) {
        String gateway = gatewayOf(pol, gw);
        PolicyStatus was = pol.status();
        List<String> eips = new java.util.ArrayList<>();
        for (String[] e : new String[][] {{d.eipV4(), was == null ? null : was.eipV4()},
                                          {d.eipV6(), was == null ? null : was.eipV6()}}) {
            if (e[0] != null) {
                eips.add(e[0]);
                if (!e[0].equals(e[1]) && firstTime("alloc/" + pol.name() + "/" + e[0], "")) {
                    stats.allocated(gateway);
                }
            }
        }
        boolean placedBefore = was != null && was.node() != null && java.util.Objects.equals(was.eipV4(), d.eipV4())
                && java.util.Objects.equals(was.eipV6(), d.eipV6());
        if (eips.isEmpty() || d.node() == null || placedBefore || !firstTime("eip/" + pol.name(), eips + ">" + d.node())) {
            return;
        }
        events.record("EgressGatewayPolicy", pol.name(), RecordEventPort.Type.Normal, "EIPAssigned",
                "EIP " + String.join(", ", eips) + " of gateway " + gateway + " assigned to node " + d.node());
        LOG.info("policy={} EIP {} assigned to node {}", pol.name(), eips, d.node());
    }

    void nodeEvents(List<ClusterNode> nodes, HeartbeatTracker.Result hb, Gateway gw, ElectionResult r) {
        Map<String, NodeReadiness> was = new HashMap<>();
        if (gw.status() != null) {
            gw.status().nodeList().forEach(n -> was.put(n.name(), n.status()));
        }
        moveRequestEvent(gw, r);
        for (GatewayNode n : r.status().nodeList()) {
            NodeReadiness before = was.get(n.name());
            if (before == NodeReadiness.Ready && n.status() != NodeReadiness.Ready) {
                String why = whyNotReady(nodes, hb, gw, n.name()).text();
                events.record("EgressGateway", gw.name(), RecordEventPort.Type.Warning, "NodeNotReady",
                        "node " + n.name() + " is " + n.status() + ": " + why);
                LOG.warn("gateway={} node={} {}: {}", gw.name(), n.name(), n.status(), why);
            } else if (before != null && before != NodeReadiness.Ready && n.status() == NodeReadiness.Ready) {
                events.record("EgressGateway", gw.name(), RecordEventPort.Type.Normal, "NodeReady",
                        "node " + n.name() + " is Ready again");
            }
        }
    }

    /** An Event each time the gateway's EIP move request changes phase (Releasing, Moved, Refused). */
    private void moveRequestEvent(Gateway gw, ElectionResult r) {
        var before = condition(gw.status() == null ? List.of() : gw.status().conditions());
        var after = condition(r.status().conditions());
        if (after == null || before != null && before.message().equals(after.message()) && before.reason().equals(after.reason())) {
            return;
        }
        boolean refused = after.reason().equals("Refused");
        events.record("EgressGateway", gw.name(), refused ? RecordEventPort.Type.Warning : RecordEventPort.Type.Normal,
                "EIPMove" + after.reason(), after.message());
        LOG.info("gateway={} EIP move {}: {}", gw.name(), after.reason(), after.message());
    }

    private static io.egressgateway.domain.model.Condition condition(List<io.egressgateway.domain.model.Condition> cs) {
        return cs.stream().filter(c -> c.type().equals(io.egressgateway.domain.move.EipMoveRequest.CONDITION))
                .findFirst().orElse(null);
    }

    /** The gateway that elected the policy (a policy may name none and use the clusterDefault one). */
    private static String gatewayOf(Policy pol, Gateway gw) {
        return gw != null ? gw.name() : pol.egressGatewayName() != null ? pol.egressGatewayName() : "";
    }

    private boolean firstTime(String key, String what) {
        return !what.equals(told.put(key, what));
    }

    Why whyNotReady(List<ClusterNode> nodes, HeartbeatTracker.Result hb, Gateway gw, String node) {
        ClusterNode cn = nodes.stream().filter(n -> n.name().equals(node)).findFirst().orElse(null);
        if (cn == null) {
            return new Why(ControllerStats.FailoverCause.node_deleted, "the Node is gone");
        }
        if (!cn.ready()) {
            return new Why(ControllerStats.FailoverCause.node_not_ready, "the Node's Ready condition is not True");
        }
        if (hb.stale().contains(node)) {
            return new Why(ControllerStats.FailoverCause.heartbeat_lost, "heartbeat expired (Lease egress-node-" + node
                    + " not renewed for more than " + heartbeats.limit(node).toMillis() + " ms)");
        }
        if (hb.missing().contains(node)) {
            return new Why(ControllerStats.FailoverCause.heartbeat_lost, "no heartbeat Lease egress-node-" + node
                    + " (agent not running)");
        }
        if (gw != null && (gw.nodeSelector() == null || !gw.nodeSelector().matches(cn.labels()))) {
            return new Why(ControllerStats.FailoverCause.node_unselected,
                    "the Node no longer matches gateway " + gw.name() + "'s nodeSelector");
        }
        return new Why(ControllerStats.FailoverCause.egressnode_failed,
                "its EgressNode is not usable (phase Failed, or not created yet)");
    }

    void moveEvents(List<ClusterNode> nodes, HeartbeatTracker.Result hb, Policy pol, PolicyDecision d, Gateway gw) {
        String was = pol.status() == null ? null : pol.status().node();
        if (was == null || was.equals(d.node())) {
            return;
        }
        if (!firstTime("move/" + pol.name(), was + ">" + d.node() + ">" + d.nodes())) {
            return;
        }
        String eip = d.eipV4() != null ? d.eipV4() : d.eipV6();
        String what = eip != null ? "EIP " + eip : "traffic";
        var moving = d.condition(PolicyDecision.NO_GATEWAY_NODE)
                .filter(c -> c.status() == io.egressgateway.domain.model.Condition.Status.True && c.reason().equals("EIPMoving"));
        if (moving.isPresent()) {
            // a move by request (ctl move-eip), not a lost node: the gateway's EIPMove Event says the rest
            events.record("EgressGatewayPolicy", pol.name(), RecordEventPort.Type.Normal, "EIPReleased",
                    what + " released from node " + was + " for a requested move: " + moving.get().message());
            stats.failover(gatewayOf(pol, gw), ControllerStats.FailoverCause.moved);
            return;
        }
        Why why = whyNotReady(nodes, hb, gw, was);
        stats.failover(gatewayOf(pol, gw), why.cause());
        if (d.node() == null && d.nodes().isEmpty()) {
            events.record("EgressGatewayPolicy", pol.name(), RecordEventPort.Type.Warning, "NoGatewayNode",
                    what + " left node " + was + " (" + why.text() + ") and no Ready gateway node is left");
            return;
        }
        String to = d.node() != null ? d.node() : String.join(",", d.nodes());
        String reason = eip != null ? "EIPMoved" : "GatewayNodeChanged";
        String msg = what + " moved from " + was + " to " + to + ": " + why.text();
        events.record("EgressGatewayPolicy", pol.name(), RecordEventPort.Type.Normal, reason, msg);
        if (gw != null) {
            events.record("EgressGateway", gw.name(), RecordEventPort.Type.Normal, reason, "policy " + pol.name()
                    + ": " + msg);
        }
        LOG.info("policy={} {}", pol.name(), msg);
    }
}
