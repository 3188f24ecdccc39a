package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.datapath.TrafficCounter;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * The counting half of one family's iptables: {@code EGRESSGATEWAY-COUNT} in mangle POSTROUTING
 * and the nfacct objects its rules name (docs/traffic-metrics.md). Every packet of a connection we
 * decided passes POSTROUTING, unlike the nat table (first packet only) and the policy rules of
 * MARK-REQUEST (first packet only; later ones return at their restored pin).
 *
 * <p>Cost per packet: traffic that is not ours meets one rule (the jump's mark match); ours walks
 * the chain, where a rule for another gateway or another EIP fails at its first, cheap match
 * (output device and connmark, or the conntrack reply address) before any set lookup. So a packet
 * pays the set lookups only of the policies that share its gateway (steered) or its EIP (egress).
 */
final class TrafficCounting {
    static final String COUNT = "EGRESSGATEWAY-COUNT";

    private final MarkLayout m;
    private final String tunnels;

    TrafficCounting(PlannerSettings settings, MarkLayout marks) {
        this.m = marks;
        this.tunnels = settings.deviceWildcard();
    }

    /** The egress counter of a policy this node SNATs to an EIP, or null when it counts none here. */
    static TrafficCounter egressOf(PolicyPlan p) {
        if (!p.carried() || p.snat().mode() != EgressIpMode.EgressIP || p.snat().eip() == null) {
            return null;
        }
        return TrafficCounter.egress(p.policy(), p.snat().eip());
    }

    /** The chain, its jump and the counters; nothing when no policy is steered or SNATed to an EIP here. */
    List<DatapathObject> plan(Family f, List<PolicyPlan> plans, String clusterSet) {
        List<DatapathObject> out = new ArrayList<>();
        List<IptablesRule> rules = new ArrayList<>();
        // Replies are never counted. A steered rule needs no match for it: a connection pinned from here is a
        // local pod's, its replies leave towards the pod, never into the tunnel (a gateway's tunnel flows carry
        // the reply tag, not a pin). An egress rule matches the direction in the conntrack match it has anyway.
        for (PolicyPlan p : plans) {
            TrafficCounter egress = egressOf(p);
            if (p.decision().type() == PolicyPlan.Decision.Type.REMOTE) {
                // The packet mark was reset to the base mark in mangle FORWARD; the pin is on the connection.
                TrafficCounter c = TrafficCounter.steered(p.policy());
                rules.add(IptablesRule.of("-o " + tunnels + " -m connmark --mark " + Marks.hex(p.decision().mark()) + "/"
                        + Marks.hex(m.owned()) + IptablesPlanner.sets(p, clusterSet) + " -m nfacct --nfacct-name "
                        + c.name() + " -j RETURN"));
                out.add(c);
            } else if (egress != null) {
                // The reply address is the EIP once the SNAT of the first packet is bound; that first packet
                // passes here before nat POSTROUTING binds it and is counted by the SNAT rule instead.
                rules.add(IptablesRule.of("! -o " + tunnels + " -m conntrack --ctdir ORIGINAL --ctrepldst " + p.snat().eip()
                        + IptablesPlanner.sets(p, clusterSet) + " -m nfacct --nfacct-name " + egress.name() + " -j RETURN"));
                out.add(egress);
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        out.add(new IptablesChain(f, "mangle", COUNT, rules));
        // Outer tunnel packets carry the base mark too, but their own connection has no connmark of ours.
        out.add(new IptablesJump(f, "mangle", "POSTROUTING", 2, IptablesRule.of("-m mark --mark " + m.ours()
                + " -m connmark ! --mark " + m.none() + " -j " + COUNT)));
        return out;
    }
}
