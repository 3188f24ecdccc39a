package io.egressgateway.domain.move;

import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an EIP may move to a node, judged on the gateway's status: the EIP must be placed on one
 * of the gateway's nodes, and the node must be listed by the gateway (its nodeSelector matches it),
 * be Ready and have an agent that has renewed its heartbeat at least once ({@code unproven}, known to
 * the controller only). Active-active gateways place EIPs the same way, so the same rules hold.
 */
public final class EipMoveRules {
    private EipMoveRules() {
    }

    /** The verdict: eligible (from {@code from}), already there, the EIP is unknown, or the node is not eligible. */
    public record Check(Outcome outcome, String from, String reason) {
        public boolean refused() {
            return outcome == Outcome.EIP_NOT_FOUND || outcome == Outcome.NODE_NOT_ELIGIBLE;
        }
    }

    public enum Outcome { ELIGIBLE, ALREADY_THERE, EIP_NOT_FOUND, NODE_NOT_ELIGIBLE }

    public static Check check(Gateway gw, IpAddress eip, String node, Set<String> unproven) {
        Optional<String> from = carrier(gw, eip);
        if (from.isEmpty()) {
            return new Check(Outcome.EIP_NOT_FOUND, null, "EIP " + eip.text() + " is not placed on any node of gateway "
                    + gw.name() + " (status.nodeList[].eips): only an EIP in use by a policy can be moved");
        }
        GatewayNode target = gw.status().nodeList().stream().filter(n -> n.name().equals(node)).findFirst().orElse(null);
        if (target == null) {
            return new Check(Outcome.NODE_NOT_ELIGIBLE, from.get(), "node " + node + " is not a node of gateway "
                    + gw.name() + " (its spec.nodeSelector does not select it; nodes: "
                    + gw.status().nodeList().stream().map(GatewayNode::name).toList() + ")");
        }
        if (target.status() != NodeReadiness.Ready) {
            return new Check(Outcome.NODE_NOT_ELIGIBLE, from.get(), "node " + node + " is " + target.status()
                    + " in gateway " + gw.name() + ": only a Ready node can take an EIP");
        }
        if (unproven.contains(node)) {
            return new Check(Outcome.NODE_NOT_ELIGIBLE, from.get(), "node " + node + "'s agent has not renewed its"
                    + " heartbeat yet: only a node whose agent is alive can take an EIP");
        }
        if (from.get().equals(node)) {
            return new Check(Outcome.ALREADY_THERE, node, "EIP " + eip.text() + " is already on node " + node);
        }
        return new Check(Outcome.ELIGIBLE, from.get(), "");
    }

    /** The node whose {@code eips} list the address, if any. */
    public static Optional<String> carrier(Gateway gw, IpAddress eip) {
        if (gw.status() == null) {
            return Optional.empty();
        }
        for (GatewayNode n : gw.status().nodeList()) {
            for (EipAssignment a : n.eips()) {
                if (same(a.ipv4(), eip) || same(a.ipv6(), eip)) {
                    return Optional.of(n.name());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean same(String text, IpAddress eip) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        Parsed<IpAddress> a = IpAddress.parse(text);
        return a.isOk() && a.orElseThrow().equals(eip);
    }
}
