package io.egressgateway.bootstrap.ctl;

import io.egressgateway.application.port.in.PodExplanation;

/** The human form of an explanation: the summary first, then the policies, the route, the findings. */
final class ExplainText {
    private ExplainText() {
    }

    static String render(PodExplanation e) {
        StringBuilder b = new StringBuilder();
        b.append("Pod:         ").append(e.namespace()).append('/').append(e.pod()).append(" on node ")
                .append(e.node() == null || e.node().isEmpty() ? "(none)" : e.node()).append(", IPs ")
                .append(String.join(", ", e.ips())).append('\n');
        if (e.destination() != null) {
            b.append("Destination: ").append(e.destination()).append('\n');
        }
        b.append("Result:      ").append(e.outcome()).append(": ").append(e.summary()).append("\n\n");
        b.append("Policies (rule order: priority, then name; the first that applies wins):\n");
        if (e.policies().isEmpty()) {
            b.append("  (none)\n");
        }
        for (PodExplanation.PolicyVerdict v : e.policies()) {
            String mark = v.name().equals(e.winner()) ? "* " : "  ";
            b.append(mark).append(v.name()).append(" (priority ").append(v.priority()).append("): ")
                    .append(v.selected() ? "selects the pod" : "does not select the pod").append(": ")
                    .append(v.selection()).append('\n');
            if (v.destination() != null) {
                b.append("      destination: ").append(v.destinationMatches() ? "yes: " : "no: ").append(v.destination()).append('\n');
            }
        }
        PodExplanation.Route r = e.route();
        if (r != null) {
            b.append("\nRoute of policy ").append(r.policy()).append(" (generation ").append(r.generation()).append("):\n");
            b.append("  gateway:      ").append(r.gateway() == null ? "(none)" : r.gateway()).append('\n');
            b.append("  EIP:          ").append(eips(r)).append('\n');
            b.append("  gateway node: ").append(r.gatewayNode() == null ? "(none)" : r.gatewayNode()
                    + " (" + r.gatewayNodeStatus() + ")").append('\n');
            for (PodExplanation.Programmed p : r.programmed()) {
                b.append("  programmed on ").append(p.node()).append(" (").append(p.role()).append("): ")
                        .append(p.current() ? "yes" : "no").append(" (reports ")
                        .append(p.reported() < 0 ? "nothing" : "generation " + p.reported()).append(")\n");
            }
        }
        if (!e.findings().isEmpty()) {
            b.append("\nFindings:\n");
            for (PodExplanation.Finding f : e.findings()) {
                b.append("  - ").append(f.problem()).append("\n      fix: ").append(f.fix()).append('\n');
            }
        }
        return b.toString();
    }

    private static String eips(PodExplanation.Route r) {
        if (r.eipV4() == null && r.eipV6() == null) {
            return "(none)";
        }
        return (r.eipV4() == null ? "" : r.eipV4()) + (r.eipV4() != null && r.eipV6() != null ? ", " : "")
                + (r.eipV6() == null ? "" : r.eipV6());
    }
}
