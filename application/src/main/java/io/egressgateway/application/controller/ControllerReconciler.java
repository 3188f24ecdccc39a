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
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    private final SubnetEndpoints subnetEndpoints = new SubnetEndpoints();
    private final EndpointSliceStep sliceStep;
    private final PolicyStatusStep policyStep;
    private final java.util.concurrent.Executor writePool;
    /** The last pass left endpoint counts for a later one. */
    private volatile boolean deferredCounts;
    private final RecordEventPort events;
    private final HoldGatewayDeletionPort gatewayDeletion;
    private final EgressNodePlanner planner;
    private final HeartbeatTracker heartbeats;
    private final WriteBackoff backoff;
    private final MoveEvents moves;
    private final ControllerStats stats;

    public ControllerReconciler(Settings settings, Clock clock, WatchControllerStatePort watch,
                                UpdateEgressNodesPort egressNodes, UpdateStatusesPort statuses,
                                UpdateEndpointSlicesPort slices, RecordEventPort events,
                                HoldGatewayDeletionPort gatewayDeletion, ControllerStats stats) {
        this(settings, clock, watch, egressNodes, statuses, slices, events, gatewayDeletion, stats, PassWrites.newPool(),
                System::nanoTime);
    }

    /**
     * {@code writePool} runs the slice and policy status writes of a pass, {@link PassWrites#PARALLEL} at a time;
     * {@code nanos} is the monotonic clock of the writes' retry delays (a test's own, so that no delay runs out
     * while a loaded machine stalls it).
     */
    ControllerReconciler(Settings settings, Clock clock, WatchControllerStatePort watch,
                         UpdateEgressNodesPort egressNodes, UpdateStatusesPort statuses,
                         UpdateEndpointSlicesPort slices, RecordEventPort events,
                         HoldGatewayDeletionPort gatewayDeletion, ControllerStats stats,
                         java.util.concurrent.Executor writePool, java.util.function.LongSupplier nanos) {
        this.backoff = new WriteBackoff(nanos);
        this.stats = stats;
        this.writePool = writePool;
        this.settings = settings;
        this.clock = clock;
        this.watch = watch;
        this.egressNodes = egressNodes;
        this.statuses = statuses;
        this.events = events;
        this.gatewayDeletion = gatewayDeletion;
        this.planner = new EgressNodePlanner(settings);
        this.heartbeats = new HeartbeatTracker(settings.heartbeat().evictionTimeout(), settings.heartbeat().interval());
        this.moves = new MoveEvents(events, heartbeats, stats);
        this.sliceStep = new EndpointSliceStep(slices, subnetEndpoints, settings.maxEndpointsPerSlice());
        this.policyStep = new PolicyStatusStep(statuses, events, subnetEndpoints, moves);
    }

    @Override
    public int reconcile(Set<String> dirty) {
        long start = System.nanoTime();
        boolean ok = false;
        PassWrites writes = new PassWrites(writePool, backoff, stats::write);
        try {
            ControllerClusterState s = watch.snapshot();
            // the published cluster info adds the detected service CIDRs, as admission does
            ControllerVetting.Result v = ControllerVetting.vet(s, ControllerVetting.network(settings.cluster().network(),
                    s.nodes()).with(s.clusterInfo().orElse(null)), settings.enableIPv4(), settings.enableIPv6());
            ControllerPass p = new ControllerPass(s, clock.instant(), dirty, v, writes, backoff);
            p.hb = heartbeats.observe(p.s.heartbeats(), p.s.restarting(), names(p.s.nodes()), gatewayCandidates(p), p.now);
            reconcileEgressNodes(p);
            reconcileClusterInfo(p);
            sliceStep.run(p); // submitted: on the wire while the rest is decided
            stats.planned(System.nanoTime() - start);
            electGateways(p);
            policyStep.run(p);
            p.writes.await();
            holdGatewaysInUse(p);
            stats.gatewaysSeen(p.s.gateways().stream().map(Gateway::name).toList());
            stats.clusterGauges(ControllerGauges.of(new ControllerGauges.Input(p.s.gateways(), p.elections, p.s.policies(),
                    p.decisions, p.egress, settings.enableIPv4(), settings.enableIPv6())));
            deferredCounts = p.deferredCounts > 0;
            ok = p.failures() == 0;
            return p.writeCount();
        } finally {
            writes.await(); // a pass that threw still leaves no write of its own in flight
            stats.pass(System.nanoTime() - start, ok);
        }
    }

    @Override
    public java.util.Optional<java.time.Duration> retryAfter() {
        if (deferredCounts) {
            // endpoint counts left out during a flood: a pass soon writes them (it is held by the coalesce interval)
            return java.util.Optional.of(java.time.Duration.ofMillis(1));
        }
        return backoff.nextRetry();
    }

    /** Nodes some gateway's nodeSelector matches: they renew every gatewayInterval. */
    private static Set<String> gatewayCandidates(ControllerPass p) {
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

    private void reconcileEgressNodes(ControllerPass p) {
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
            ControllerVetting.warnOnce(events, "EgressNode", d.name(), before.get(d.name()).conditions(), d.conditions(),
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

    private void reconcileClusterInfo(ControllerPass p) {
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

    private void electGateways(ControllerPass p) {
        Set<String> silent = p.hb.silent();
        for (Gateway gw : p.s.gateways()) {
            List<io.egressgateway.domain.validation.Violation> bad = p.v.badGateways().get(gw.name());
            if (bad != null) {
                GatewayStatus st = ControllerVetting.invalidGateway(gw, bad, p.now);
                ControllerVetting.warnOnce(events, "EgressGateway", gw.name(), gw.status() == null ? List.of() : gw.status().conditions(),
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
                ControllerVetting.warnOnce(events, "EgressGateway", gw.name(), gw.status() == null ? List.of() : gw.status().conditions(),
                        st.conditions(), ControllerVetting.POOL_OVERLAP);
                if (!st.equals(gw.status())) {
                    p.wrote(statuses.gatewayStatus(gw.name(), st));
                }
            });
        }
    }

    /** A gateway is held (finalizer) while a policy uses it; its deletion completes once none does. */
    private void holdGatewaysInUse(ControllerPass p) {
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
