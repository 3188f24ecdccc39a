package io.egressgateway.application.port.in;

import java.util.List;

/**
 * Why a pod's traffic (to a destination, when given) leaves the way it does.
 *
 * @param destination "IP" or "IP:PORT", null when not asked
 * @param policies    every policy, in rule order (priority descending, then name), with its verdict
 * @param winner      the policy that applies (the first that selects the pod and, with a destination,
 *                    matches it), null when none
 * @param route       where the winner sends it, null without a winner
 * @param findings    every "no" on the way, each with the object to fix; empty when all is well
 * @param summary     one line, what happens to the traffic
 */
public record PodExplanation(String namespace, String pod, String node, List<String> ips, String destination,
                             List<PolicyVerdict> policies, String winner, Route route, List<Finding> findings,
                             Outcome outcome, String summary) {
    public PodExplanation {
        ips = List.copyOf(ips);
        policies = List.copyOf(policies);
        findings = List.copyOf(findings);
    }

    /** The overall answer; everything but {@code VIA_GATEWAY} exits non-zero. */
    public enum Outcome {
        /** Selected, placed, programmed on the pod's node and the gateway node. */
        VIA_GATEWAY,
        /** No policy selects the pod. */
        NOT_SELECTED,
        /** Policies select it, but none sends this destination to a gateway (excluded or outside destCIDR). */
        NOT_MATCHED,
        /** A policy applies, but something on the way is missing (gateway, node, EIP, programming). */
        NOT_READY
    }

    /** One policy's verdict for this pod (and destination). */
    public record PolicyVerdict(String name, int priority, boolean selected, String selection, Boolean destinationMatches,
                                String destination) {
    }

    /** Where the winning policy sends the traffic. */
    public record Route(String policy, long generation, String gateway, String eipV4, String eipV6, String gatewayNode,
                        String gatewayNodeStatus, List<Programmed> programmed) {
        public Route {
            programmed = List.copyOf(programmed);
        }
    }

    /** Whether a node's agent reports the policy programmed at its current generation. */
    public record Programmed(String node, String role, long reported, boolean current) {
    }

    /** A "no": what is wrong and which object to look at or fix. */
    public record Finding(String problem, String fix) {
    }
}
