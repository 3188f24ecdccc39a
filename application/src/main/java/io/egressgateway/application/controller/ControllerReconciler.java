package io.egressgateway.application.controller;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.out.ControllerClusterState;
import io.egressgateway.application.port.out.HoldGatewayDeletionPort;
import io.egressgateway.application.port.out.RecordEventPort;
import io.egressgateway.application.port.out.UpdateEgressNodesPort;
import io.egressgateway.application.port.out.UpdateEndpointSlicesPort;
import io.egressgateway.application.port.out.UpdateStatusesPort;
import io.egressgateway.application.port.out.WatchControllerStatePort;
import io.egressgateway.domain.election.ElectionInput;
import io.egressgateway.domain.election.ElectionResult;
import io.egressgateway.domain.election.GatewayElection;
import io.egressgateway.domain.election.PolicyDecision;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.select.EndpointSelector;
import io.egressgateway.domain.select.EndpointSlicer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's pass, as a pipeline of steps over one snapshot: EgressNodes, the cluster info,
 * endpoint slices, gateway elections, policy statuses. Each step computes what should be (pure
 * domain functions) and hands it to a port that writes only what differs. First every object is
 * vetted on its own ({@link ControllerVetting}): a bad one is left out with a condition and an Event,
 * never the pass. A failing write is logged and delays only its own object ({@link WriteBackoff});
 * the other objects are written in this pass and every pass after.
 */
public final class ControllerReconciler implements ReconcileControllerUseCase {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerReconciler.class);
    private final Settings settings;
    private final Clock clock;
    private final WatchControllerStatePort watch;
    private final UpdateEgressNodesPort egressNodes;
    private final UpdateStatusesPort statuses;
    private final UpdateEndpointSlicesPort slices;
    private final SubnetEndpoints subnetEndpoints = new SubnetEndpoints();
    private final RecordEventPort events;
    private final HoldGatewayDeletionPort gatewayDeletion;
    private final EgressNodePlanner planner;
    private final HeartbeatTracker heartbeats;
    private final WriteBackoff backoff = new WriteBackoff(System::nanoTime);
    private final MoveEvents moves;
    private final ControllerStats stats;

    public ControllerReconciler(Settings settings, Clock clock, WatchControllerStatePort watch,
                                UpdateEgressNodesPort egressNodes, UpdateStatusesPort statuses,
                                UpdateEndpointSlicesPort slices, RecordEventPort events,
                                HoldGatewayDeletionPort gatewayDeletion, ControllerStats stats) {
        this.stats = stats;
        this.settings = settings;
        this.clock = clock;
        this.watch = watch;
        this.egressNodes = egressNodes;
        this.statuses = statuses;
        this.slices = slices;
        this.events = events;
        this.gatewayDeletion = gatewayDeletion;
        this.planner = new EgressNodePlanner(settings);
        this.heartbeats = new HeartbeatTracker(settings.heartbeat().evictionTimeout(), settings.heartbeat().interval());
        this.moves = new MoveEvents(events, heartbeats, stats);
    }

    /** State carried through one pass. */
    private final class Pass {
        final ControllerClusterState s = watch.snapshot();
        final Instant now = clock.instant();
        final Set<String> dirty;
        final ControllerVetting.Result v;
        int writes;
        int failures;
        HeartbeatTracker.Result hb;
        List<EgressNode> egress = List.of();
        /** EgressNodes the controller could not allocate for, with the reason. */
        Map<String, String> unserved = new TreeMap<>();
        Map<String, Long> gatewayMarks = Map.of();
        Map<String, Integer> endpointCounts = new HashMap<>();
        Map<String, PolicyDecision> decisions = new TreeMap<>();
        Map<String, Gateway> electedBy = new HashMap<>();
        Map<String, ElectionResult> elections = new TreeMap<>();

        Pass(Set<String> dirty) {
            this.dirty = dirty;
            // the published cluster info adds the detected service CIDRs, as admission does
            this.v = ControllerVetting.vet(s, ControllerVetting.network(settings.cluster().network(), s.nodes())
                    .with(s.clusterInfo().orElse(null)), settings.enableIPv4(), settings.enableIPv6());
        }

        /** One object's write; skipped while that object's last write failed and its delay runs. */
        void attempt(String what, Runnable step) {
            if (backoff.waiting(what)) {
                return;
            }
            try {
                step.run();
                backoff.succeeded(what);
            } catch (RuntimeException e) {
                failures++;
                backoff.failed(what);
                LOG.warn("{} failed (retrying this object in {} ms): {}", what, backoff.delayMs(what), e.toString());
            }
        }

        void wrote(boolean w) {
            writes += w ? 1 : 0;
        }
    }

    @Override
    public int reconcile(Set<String> dirty) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            Pass p = new Pass(dirty);
            p.hb = heartbeats.observe(p.s.heartbeats(), p.s.restarting(), names(p.s.nodes()), gatewayCandidates(p), p.now);
            reconcileEgressNodes(p);
            reconcileClusterInfo(p);
            reconcileEndpointSlices(p);
            electGateways(p);
            writePolicyStatuses(p);
            holdGatewaysInUse(p);
            stats.gatewaysSeen(p.s.gateways().stream().map(Gateway::name).toList());
            stats.clusterGauges(ControllerGauges.of(new ControllerGauges.Input(p.s.gateways(), p.elections, p.s.policies(),
                    p.decisions, p.egress, settings.enableIPv4(), settings.enableIPv6())));
            ok = p.failures == 0;
            return p.writes;
        } finally {
            stats.pass(System.nanoTime() - start, ok);
        }
    }

    @Override
    public java.util.Optional<java.time.Duration> retryAfter() {
        return backoff.nextRetry();
    }

    /** Nodes some gateway's nodeSelector matches: they renew every gatewayInterval. */
    private static Set<String> gatewayCandidates(Pass p) {
        Set<String> out = new TreeSet<>();
        for (ClusterNode n : p.s.nodes()) {
            for (Gateway gw : p.v.gateways()) {
                if (gw.nodeSelector() != null && gw.nodeSelector().matches(n.labels())) {
                    out.add(n.name());
                }
            }
        }
        return out;
    }

    private void reconcileEgressNodes(Pass p) {
        EgressNodePlanner.Plan plan = planner.plan(p.s.nodes(), p.s.egressNodes(), p.s.deletingEgressNodes(),
                p.v.gateways(), p.hb.stale(), p.now);
        plan.notes().forEach(n -> LOG.warn("allocation conflict resolved: {}", n));
        for (String n : plan.create()) {
            p.attempt("create egressnode=" + n, () -> {
                if (egressNodes.create(n)) {
                    p.wrote(true);
                    LOG.info("egressnode={} created for its Node", n);
                }
            });
        }
        for (String n : plan.release()) {
            p.attempt("release egressnode=" + n, () -> {
                if (egressNodes.release(n)) {
                    p.wrote(true);
                    LOG.info("egressnode={} released: its Node is gone or it is being deleted", n);
                }
            });
        }
        Map<String, EgressNode> before = new HashMap<>();
        p.s.egressNodes().forEach(e -> before.put(e.name(), e));
        List<EgressNode> desired = new ArrayList<>();
        for (EgressNode planned : plan.desired()) {
            EgressNode d = ControllerVetting.withStatusCheck(planned, before.get(planned.name()), p.now);
            desired.add(d);
            warnOnce(p, "EgressNode", d.name(), before.get(d.name()).conditions(), d.conditions(),
                    ControllerVetting.INVALID_STATUS);
            if (!EgressNodePlanner.sameControllerFields(before.get(d.name()), d)) {
                // the cache says it differs: the port re-reads and writes only if it still does
                p.attempt("status egressnode=" + d.name(), () -> p.wrote(egressNodes.writeStatus(d)));
            }
            EgressNodePhase was = before.get(d.name()).phase();
            if (was != d.phase() && (d.phase() == EgressNodePhase.HeartbeatTimeout || d.phase() == EgressNodePhase.Failed)) {
                String why = d.phase() == EgressNodePhase.Failed ? allocatedMessage(d)
                        : "Lease " + "egress-node-" + d.name() + " not renewed for more than "
                        + heartbeats.limit(d.name()).toMillis() + " ms";
                events.record("EgressNode", d.name(), RecordEventPort.Type.Warning, d.phase().name(), why);
                LOG.warn("egressnode={} phase {} -> {}: {}", d.name(), was, d.phase(), why);
            }
        }
        p.egress = desired;
        p.gatewayMarks = plan.gatewayMarks();
        for (EgressNode d : desired) {
            if (d.phase() == EgressNodePhase.Failed) {
                p.unserved.put(d.name(), allocatedMessage(d));
            }
        }
        stats.unservedNodes(p.unserved.size());
    }

    private static String allocatedMessage(EgressNode d) {
        return d.conditions().stream().filter(c -> EgressNodePlanner.ALLOCATED.equals(c.type())).map(Condition::message)
                .findFirst().orElse("allocation failed");
    }

    private void reconcileClusterInfo(Pass p) {
        ClusterInfoDecision.Decided d = ClusterInfoDecision.decide(settings, p.s, p.v.gateways(), p.now);
        d.problems().forEach(x -> LOG.warn("egressclusterinfo=default skipped: {}", x));
        ClusterInfo info = d.info();
        if (!info.complete() && !info.equals(p.s.clusterInfo().orElse(null))) {
            LOG.warn("egressclusterinfo=default incomplete: {}", d.condition().message());
        }
        if (p.s.clusterInfo().isEmpty() || !p.s.clusterInfo().get().equals(info) || p.dirty.contains(ALL)) {
            p.attempt("status egressclusterinfo=default", () -> p.wrote(statuses.clusterInfo(info, List.of(d.condition()))));
        }
    }

    private boolean slicesDirty(Set<String> dirty) {
        for (String k : dirty) {
            if (k.equals(ALL) || k.startsWith("Pod/") || k.startsWith("Namespace/") || k.startsWith("EgressGatewayPolicy/")
                    || k.startsWith("EgressEndpointSlice/")) {
                return true;
            }
        }
        return false;
    }

    private void reconcileEndpointSlices(Pass p) {
        Map<String, List<EndpointSlice>> byPolicy = new TreeMap<>();
        for (EndpointSlice sl : p.s.endpointSlices()) {
            byPolicy.computeIfAbsent(sl.policy() == null ? "" : sl.policy(), k -> new ArrayList<>()).add(sl);
        }
        if (!slicesDirty(p.dirty)) {
            byPolicy.forEach((pol, l) -> p.endpointCounts.put(pol, l.stream().mapToInt(x -> x.endpoints().size()).sum()));
            subnetEndpoints.counts().forEach(p.endpointCounts::put);
            return;
        }
        Set<String> policyNames = new java.util.HashSet<>();
        p.s.policies().forEach(pol -> policyNames.add(pol.name()));
        subnetEndpoints.retain(policyNames);
        // by label: policies x pods matches were the controller's cost while 10,000 Pods were written (issue 18)
        io.egressgateway.domain.select.PodIndex pods = io.egressgateway.domain.select.PodIndex.of(p.s.pods());
        for (Policy pol : p.v.policies()) {
            List<Endpoint> selected = EndpointSelector.select(pol, pods.candidates(pol), p.s.namespaceLabels());
            p.endpointCounts.put(pol.name(), selected.size());
            // a podSubnet policy's agents steer its subnets as they are: its slices would only be read back
            List<Endpoint> wanted = subnetEndpoints.remember(pol, selected);
            EndpointSlicer.SlicePlan plan = EndpointSlicer.plan(pol.name(), wanted,
                    byPolicy.getOrDefault(pol.name(), List.of()), settings.maxEndpointsPerSlice());
            String name = pol.name();
            for (EndpointSlice sl : plan.create()) {
                p.attempt("create slice policy=" + name, () -> {
                    String created = slices.create(name, sl.endpoints());
                    p.wrote(created != null);
                    LOG.info("policy={} slice={} created endpoints={}", name, created, sl.endpoints().size());
                });
            }
            for (EndpointSlice sl : plan.update()) {
                p.attempt("update slice=" + sl.name(), () -> p.wrote(slices.update(sl.name(), sl.endpoints())));
            }
            for (String del : plan.delete()) {
                p.attempt("delete slice=" + del, () -> {
                    p.wrote(slices.delete(del));
                    LOG.info("policy={} slice={} deleted", name, del);
                });
            }
        }
        // slices whose policy is gone: the API server's garbage collector removes them through the
        // ownerReference; deleting them here too covers a collector that lags (or a test server without one)
        byPolicy.forEach((pol, l) -> {
            if (!policyNames.contains(pol)) {
                l.forEach(sl -> p.attempt("delete orphan slice=" + sl.name(), () -> p.wrote(slices.delete(sl.name()))));
            }
        });
    }

    private void electGateways(Pass p) {
        Set<String> silent = p.hb.silent();
        for (Gateway gw : p.s.gateways()) {
            List<io.egressgateway.domain.validation.Violation> bad = p.v.badGateways().get(gw.name());
            if (bad != null) {
                GatewayStatus st = ControllerVetting.invalidGateway(gw, bad, p.now);
                warnOnce(p, "EgressGateway", gw.name(), gw.status() == null ? List.of() : gw.status().conditions(),
                        st.conditions(), ControllerVetting.INVALID_SPEC);
                if (!st.equals(gw.status())) {
                    p.attempt("status gateway=" + gw.name(), () -> p.wrote(statuses.gatewayStatus(gw.name(), st)));
                }
            }
        }
        for (Gateway gw : p.v.gateways()) {
            p.attempt("election gateway=" + gw.name(), () -> {
                ElectionResult r = GatewayElection.elect(new ElectionInput(gw, p.s.nodes(), p.egress, silent,
                        p.v.policies(), settings.forwardMethod(), p.gatewayMarks.get(gw.name()), p.now, p.hb.unproven(),
                        EipMoves.request(gw.name(), p.s.moveRequests()), settings.heartbeat().evictionTimeout()));
                r.notes().forEach(n -> LOG.warn("{}", n));
                p.elections.put(gw.name(), r);
                r.policies().forEach((pol, d) -> {
                    p.decisions.put(pol, d);
                    p.electedBy.put(pol, gw);
                });
                moves.nodeEvents(p.s.nodes(), p.hb, gw, r);
                GatewayStatus st = ControllerVetting.withFamilyDisabled(gw, ControllerVetting.withOverlaps(gw, r.status(),
                        p.v.overlapsLost().get(gw.name()), p.now), p.v.familyDisabled().get(gw.name()), p.now);
                warnOnce(p, "EgressGateway", gw.name(), gw.status() == null ? List.of() : gw.status().conditions(),
                        st.conditions(), ControllerVetting.POOL_OVERLAP);
                if (!st.equals(gw.status())) {
                    p.wrote(statuses.gatewayStatus(gw.name(), st));
                }
            });
        }
    }

    /** A Warning Event when condition {@code type} turns True or changes its message: once, not every pass. */
    private void warnOnce(Pass p, String kind, String name, List<Condition> before, List<Condition> after, String type) {
        var now = ControllerVetting.message(after, type);
        if (now.isPresent() && !now.equals(ControllerVetting.message(before, type))) {
            events.record(kind, name, RecordEventPort.Type.Warning, type, now.get());
            LOG.warn("kind={} name={} {}: {}", kind, name, type, now.get());
        }
    }

    /** Policies left out of the pass: their own spec is invalid, or their gateway's is. */
    private void writeSkippedPolicies(Pass p) {
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
            warnOnce(p, "EgressGatewayPolicy", pol.name(), pol.status() == null ? List.of() : pol.status().conditions(),
                    st.conditions(), ControllerVetting.INVALID_SPEC);
            if (!st.equals(pol.status())) {
                p.attempt("status policy=" + pol.name(), () -> p.wrote(statuses.policyStatus(pol.name(), st)));
            }
        }
    }

    private void writePolicyStatuses(Pass p) {
        writeSkippedPolicies(p);
        for (Policy pol : p.v.policies()) {
            p.attempt("status policy=" + pol.name(), () -> {
                PolicyDecision d = p.decisions.get(pol.name());
                int endpoints = p.endpointCounts.getOrDefault(pol.name(), 0);
                List<Condition> conds = new ArrayList<>();
                PolicyStatus st;
                if (d == null) {
                    conds.add(PolicyConditions.gatewayNotFound(pol, p.now));
                    conds.add(PolicyConditions.programmed(pol, p.egress, p.hb.silent(), p.s.clusterInfo(),
                            PolicyConditions.unservedOf(pol, subnetEndpoints.endpointsOf(pol, p.s.endpointSlices()), p.unserved), p.now));
                    st = new PolicyStatus(pol.generation(), null, null, null, List.of(), endpoints, conds);
                } else {
                    conds.addAll(d.conditions());
                    conds.add(PolicyConditions.ready(pol, d.placed(), d.conditions(), p.now));
                    conds.add(PolicyConditions.programmed(pol, p.egress, p.hb.silent(), p.s.clusterInfo(),
                            PolicyConditions.unservedOf(pol, subnetEndpoints.endpointsOf(pol, p.s.endpointSlices()), p.unserved), p.now));
                    st = new PolicyStatus(pol.generation(), d.eipV4(), d.eipV6(), d.node(), d.nodes(), endpoints, conds);
                }
                conds.sort(java.util.Comparator.comparing(Condition::type));
                if (!st.equals(pol.status())) {
                    p.wrote(statuses.policyStatus(pol.name(), st));
                }
                if (d != null) {
                    // after the write: a status that failed to land is decided (and told) again next pass
                    moves.moveEvents(p.s.nodes(), p.hb, pol, d, p.electedBy.get(pol.name()));
                    moves.assignedEvents(pol, d, p.electedBy.get(pol.name()));
                }
            });
        }
    }

    /** A gateway is held (finalizer) while a policy uses it; its deletion completes once none does. */
    private void holdGatewaysInUse(Pass p) {
        for (Gateway gw : p.s.gateways()) {
            List<String> users = p.s.policies().stream().filter(pol -> GatewayElection.uses(pol, gw))
                    .map(Policy::name).toList();
            if (!p.s.deletingGateways().contains(gw.name())) {
                p.attempt("hold gateway=" + gw.name(), () -> p.wrote(gatewayDeletion.hold(gw.name())));
            } else if (users.isEmpty()) {
                p.attempt("release gateway=" + gw.name(), () -> {
                    if (gatewayDeletion.release(gw.name())) {
                        p.wrote(true);
                        LOG.info("gateway={} deletion released: no policy uses it", gw.name());
                    }
                });
            } else if (!p.dirty.contains(TICK) || p.dirty.size() > 1) {
                LOG.info("gateway={} deletion held: policies {} still use it", gw.name(), users);
            }
        }
    }

    private static Set<String> names(List<ClusterNode> nodes) {
        Set<String> out = new java.util.TreeSet<>();
        nodes.forEach(n -> out.add(n.name()));
        return out;
    }
}
