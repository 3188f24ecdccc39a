package io.egressgateway.application.ctl;

import io.egressgateway.application.port.in.PodExplanation;
import io.egressgateway.application.port.in.PodExplanation.Finding;
import io.egressgateway.application.port.in.PodExplanation.Outcome;
import io.egressgateway.application.port.in.PodExplanation.PolicyVerdict;
import io.egressgateway.application.port.in.PodExplanation.Programmed;
import io.egressgateway.application.port.in.PodExplanation.Route;
import io.egressgateway.application.port.in.ExplainPodUseCase;
import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.application.port.out.ReadEgressStatePort;
import io.egressgateway.domain.election.GatewayElection;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.select.PolicyMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explains one pod's egress from one read of the cluster: each policy's verdict in rule order (the
 * domain's {@link PolicyMatch}, the semantics the agents program), the winner, and the winner's
 * gateway, EIP, node and programming, collecting every "no" with the object to fix.
 */
public final class PodExplainer implements ExplainPodUseCase {
    private final ReadEgressStatePort read;

    public PodExplainer(ReadEgressStatePort read) {
        this.read = read;
    }

    @Override
    public Optional<PodExplanation> explain(String namespace, String name, Optional<Destination> to) {
        Optional<PodInfo> pod = read.pod(namespace, name);
        if (pod.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(explain(pod.get(), read.namespaceLabels(namespace), read.read(), to));
    }

    /** Pure: the explanation of a pod in a state. */
    public static PodExplanation explain(PodInfo pod, Map<String, String> nsLabels, EgressState s, Optional<Destination> to) {
        List<PolicyVerdict> verdicts = new ArrayList<>();
        Policy winner = null;
        boolean anySelected = false;
        for (Policy p : s.policies().stream().sorted(PolicyMatch.RULE_ORDER).toList()) {
            PolicyMatch.Selection sel = PolicyMatch.selection(p, pod, nsLabels);
            anySelected |= sel.selected();
            Boolean matches = null;
            String dest = null;
            if (to.isPresent() && sel.selected()) {
                PolicyMatch.Destination d = PolicyMatch.destination(p, s.clusterInfo(), to.get().ip());
                matches = d.matches();
                dest = d.reason();
            }
            verdicts.add(new PolicyVerdict(p.name(), p.priority(), sel.selected(), sel.reason(), matches, dest));
            if (winner == null && sel.selected() && (matches == null || matches)) {
                winner = p;
            }
        }
        List<Finding> findings = new ArrayList<>();
        String where = to.map(d -> " to " + d.text()).orElse("");
        if (winner == null) {
            if (!anySelected) {
                findings.add(new Finding("no EgressGatewayPolicy selects pod " + pod.namespace() + "/" + pod.name()
                        + " (its labels " + pod.labels() + ", IPs " + pod.ips() + ")",
                        "an EgressGatewayPolicy's spec.appliedTo (podSelector, namespaceSelector or podSubnet)"));
                return result(pod, to, verdicts, null, null, findings, Outcome.NOT_SELECTED,
                        "not steered: no policy selects the pod; its traffic leaves its node the normal way");
            }
            verdicts.stream().filter(PolicyVerdict::selected).forEach(v -> findings.add(new Finding(
                    "policy " + v.name() + ": " + v.destination(), "EgressGatewayPolicy/" + v.name() + " spec.destCIDR")));
            return result(pod, to, verdicts, null, null, findings, Outcome.NOT_MATCHED,
                    "not steered" + where + ": no policy that selects the pod sends this destination to a gateway");
        }
        Route route = route(winner, pod, s, findings);
        boolean ok = findings.isEmpty();
        String summary = ok ? "traffic" + where + " leaves through gateway " + route.gateway() + " on node "
                + route.gatewayNode() + " with source " + source(route) + " (policy " + winner.name() + ")"
                : "policy " + winner.name() + " applies" + where + ", but: " + findings.get(0).problem();
        return result(pod, to, verdicts, winner.name(), route, findings, ok ? Outcome.VIA_GATEWAY : Outcome.NOT_READY,
                summary);
    }

    private static PodExplanation result(PodInfo pod, Optional<Destination> to, List<PolicyVerdict> verdicts, String winner,
                                         Route route, List<Finding> findings, Outcome outcome, String summary) {
        return new PodExplanation(pod.namespace(), pod.name(), pod.nodeName(), pod.ips(), to.map(Destination::text).orElse(null),
                verdicts, winner, route, findings, outcome, summary);
    }

    private static String source(Route r) {
        List<String> eips = new ArrayList<>();
        if (r.eipV4() != null) {
            eips.add(r.eipV4());
        }
        if (r.eipV6() != null) {
            eips.add(r.eipV6());
        }
        return eips.isEmpty() ? "the gateway node's address or the pod's own (mode NodeIP or None)" : String.join(", ", eips);
    }

    private static Route route(Policy p, PodInfo pod, EgressState s, List<Finding> findings) {
        String policyRef = "EgressGatewayPolicy/" + p.name();
        Optional<Gateway> gw = s.gateways().stream().filter(g -> GatewayElection.uses(p, g)).findFirst();
        if (gw.isEmpty()) {
            String named = p.egressGatewayName() == null || p.egressGatewayName().isEmpty()
                    ? "no gateway is clusterDefault and the policy names none" : "gateway " + p.egressGatewayName() + " does not exist";
            findings.add(new Finding(named, policyRef + " spec.egressGatewayName"));
            return new Route(p.name(), p.generation(), p.egressGatewayName(), null, null, null, null, List.of());
        }
        Gateway g = gw.get();
        String gwRef = "EgressGateway/" + g.name();
        var st = p.status();
        if (st == null || st.observedGeneration() < p.generation()) {
            findings.add(new Finding("the controller has not handled generation " + p.generation() + " of policy "
                    + p.name() + " yet (status.observedGeneration " + (st == null ? "none" : st.observedGeneration()) + ")",
                    "the controller (its log, its leader Lease)"));
        }
        String node = st == null ? null : st.node();
        if (st != null && node == null && st.nodes().size() == 1) {
            node = st.nodes().get(0);
        }
        if (st != null) {
            for (String type : List.of("InvalidSpec", "NoGatewayNode", "PoolExhausted")) {
                st.conditions().stream().filter(c -> c.type().equals(type) && c.status() == Condition.Status.True)
                        .findFirst().ifPresent(c -> findings.add(new Finding(type + " (" + c.reason() + "): " + c.message(),
                                type.equals("InvalidSpec") ? policyRef + " spec" : gwRef + " (nodes, pools)")));
            }
        }
        String nodeStatus = null;
        if (node != null && g.status() != null) {
            final String n = node;
            nodeStatus = g.status().nodeList().stream().filter(x -> x.name().equals(n)).findFirst()
                    .map(x -> x.status().name()).orElse("not listed");
            if (!"Ready".equals(nodeStatus)) {
                findings.add(new Finding("gateway node " + node + " is " + nodeStatus + " in gateway " + g.name(),
                        "Node/" + node + " and EgressNode/" + node + " (heartbeat Lease egress-node-" + node + ")"));
            }
        } else if (node == null && st != null && findings.stream().noneMatch(f -> f.problem().startsWith("NoGatewayNode"))) {
            boolean activeActive = st.nodes().size() > 1;
            if (!activeActive) {
                findings.add(new Finding("policy " + p.name() + " has no gateway node in its status", gwRef + " status.nodeList"));
            }
        }
        List<Programmed> programmed = new ArrayList<>();
        programmed(programmed, findings, s, pod.nodeName(), "pod's node", p);
        List<String> gatewayNodes = node != null ? List.of(node) : st == null ? List.of() : st.nodes();
        for (String gn : gatewayNodes) {
            if (!gn.equals(pod.nodeName())) {
                programmed(programmed, findings, s, gn, "gateway node", p);
            } else {
                programmed.set(0, new Programmed(gn, "pod's node, gateway node", programmed.get(0).reported(),
                        programmed.get(0).current()));
            }
        }
        return new Route(p.name(), p.generation(), g.name(), st == null ? null : st.eipV4(), st == null ? null : st.eipV6(),
                node, nodeStatus, programmed);
    }

    private static void programmed(List<Programmed> out, List<Finding> findings, EgressState s, String node, String role,
                                   Policy p) {
        if (node == null || node.isEmpty()) {
            findings.add(new Finding("the pod is not scheduled to a node yet", "Pod (spec.nodeName)"));
            out.add(new Programmed("", role, -1, false));
            return;
        }
        Optional<EgressNode> en = s.egressNode(node);
        long reported = en.map(e -> e.programmed().getOrDefault(p.name(), -1L)).orElse(-1L);
        boolean current = reported >= p.generation();
        out.add(new Programmed(node, role, reported, current));
        if (!current) {
            findings.add(new Finding("the agent on " + role + " " + node + " does not report policy " + p.name()
                    + " programmed at generation " + p.generation() + " (" + (reported < 0 ? "reports none" : "reports " + reported)
                    + (en.isEmpty() ? "; no EgressNode " + node : "") + ")",
                    "the agent on " + node + " (Lease egress-node-" + node + " annotation egressgateway.spidernet.io/programmed,"
                            + " EgressNode/" + node + " condition TunnelReady, the agent's log)"));
        }
    }
}
