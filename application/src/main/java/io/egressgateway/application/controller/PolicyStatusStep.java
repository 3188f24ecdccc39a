package io.egressgateway.application.controller;

import io.egressgateway.application.port.out.RecordEventPort;
import io.egressgateway.application.port.out.UpdateStatusesPort;
import io.egressgateway.domain.election.PolicyDecision;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The policy statuses step of a pass: decides each policy's status on the pass thread and submits
 * only those that differ from what the snapshot shows to the pass's concurrent writes; a policy whose
 * status and endpoint count did not change costs no API call. The move and assignment Events of a
 * policy follow its status write once that landed (a status that failed is decided and told again
 * next pass). While a pass writes more than {@link #FLOOD} slices (Pods pouring in), a status whose
 * only change is the endpoint count is left for a pass with fewer: during a flood every policy's
 * count changed in every pass, half of its writes, and the slices the agents wait for queued behind
 * them (docs/controller.md).
 */
final class PolicyStatusStep {
    static final int FLOOD = 100;
    private final UpdateStatusesPort statuses;
    private final RecordEventPort events;
    private final SubnetEndpoints subnetEndpoints;
    private final MoveEvents moves;

    PolicyStatusStep(UpdateStatusesPort statuses, RecordEventPort events, SubnetEndpoints subnetEndpoints,
                     MoveEvents moves) {
        this.statuses = statuses;
        this.events = events;
        this.subnetEndpoints = subnetEndpoints;
        this.moves = moves;
    }

    void run(ControllerPass p) {
        writeSkippedPolicies(p);
        boolean flood = p.writes.pending() > FLOOD;
        for (Policy pol : p.v.policies()) {
            String key = "status policy=" + pol.name();
            PolicyDecision d = p.decisions.get(pol.name());
            PolicyStatus st = status(p, pol, d);
            Runnable told = d == null ? null : () -> {
                moves.moveEvents(p.s.nodes(), p.hb, pol, d, p.electedBy.get(pol.name()));
                moves.assignedEvents(pol, d, p.electedBy.get(pol.name()));
            };
            boolean differs = !st.equals(pol.status());
            boolean deferred = differs && flood && onlyCount(pol.status(), st);
            if (differs && !deferred) {
                p.writes.submit(key, () -> statuses.policyStatus(pol.name(), st), told);
            } else {
                p.deferredCounts += deferred ? 1 : 0;
                if (told != null) {
                    p.attempt(key, told);
                }
            }
        }
    }

    /** {@code now} differs from {@code had} in the endpoint count only. */
    static boolean onlyCount(PolicyStatus had, PolicyStatus now) {
        return had != null && had.endpoints() != now.endpoints() && new PolicyStatus(now.observedGeneration(),
                now.eipV4(), now.eipV6(), now.node(), now.nodes(), had.endpoints(), now.conditions()).equals(had);
    }

    private PolicyStatus status(ControllerPass p, Policy pol, PolicyDecision d) {
        int endpoints = p.endpointCounts.getOrDefault(pol.name(), 0);
        List<Condition> conds = new ArrayList<>();
        Condition programmed = PolicyConditions.programmed(pol, p.egress, p.hb.silent(), p.s.clusterInfo(),
                PolicyConditions.unservedOf(pol, subnetEndpoints.endpointsOf(pol, p.s.endpointSlices()), p.unserved), p.now);
        PolicyStatus st;
        if (d == null) {
            conds.add(PolicyConditions.gatewayNotFound(pol, p.now));
            conds.add(programmed);
            st = new PolicyStatus(pol.generation(), null, null, null, List.of(), endpoints, conds);
        } else {
            conds.addAll(d.conditions());
            conds.add(PolicyConditions.ready(pol, d.placed(), d.conditions(), p.now));
            conds.add(programmed);
            st = new PolicyStatus(pol.generation(), d.eipV4(), d.eipV6(), d.node(), d.nodes(), endpoints, conds);
        }
        conds.sort(Comparator.comparing(Condition::type));
        return st;
    }

    /** Policies left out of the pass: their own spec is invalid, or their gateway's is. */
    private void writeSkippedPolicies(ControllerPass p) {
        for (Policy pol : p.s.policies()) {
            var bad = p.v.badPolicies().get(pol.name());
            String gw = p.v.onBadGateway().get(pol.name());
            if (bad == null && gw == null) {
                continue;
            }
            PolicyStatus st = bad != null
                    ? ControllerVetting.skippedPolicy(pol, ControllerVetting.INVALID_SPEC, ControllerVetting.INVALID_SPEC,
                            "skipped: " + ControllerVetting.describe(bad), p.now)
                    : ControllerVetting.skippedPolicy(pol, null, ControllerVetting.GATEWAY_INVALID, "gateway " + gw
                            + " is skipped because its spec is invalid (see its InvalidSpec condition)", p.now);
            ControllerVetting.warnOnce(events, "EgressGatewayPolicy", pol.name(),
                    pol.status() == null ? List.of() : pol.status().conditions(), st.conditions(),
                    ControllerVetting.INVALID_SPEC);
            if (!st.equals(pol.status())) {
                p.writes.submit("status policy=" + pol.name(), () -> statuses.policyStatus(pol.name(), st), null);
            }
        }
    }
}
