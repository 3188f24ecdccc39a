package io.egressgateway.application.agent;

import io.egressgateway.application.agent.PassPhases.Phase;
import io.egressgateway.application.port.in.ReconcileNodeDatapathUseCase;
import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.application.port.out.ApplyDatapathPort;
import io.egressgateway.application.port.out.ApplyDatapathPort.ApplyReport;
import io.egressgateway.application.port.out.DeleteConnectionsPort;
import io.egressgateway.application.port.out.ObserveDatapathPort;
import io.egressgateway.application.port.out.ReadNodeFactsPort;
import io.egressgateway.application.port.out.UpdateOwnEgressNodePort;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.DatapathOps;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent pass, as a named pipeline: snapshot, plan, observe, diff, apply, report. Nothing runs
 * before the informers have synced, so a restarted agent never "repairs" the kernel towards an
 * empty cache. Failures of single operations are reported and the rest still applied; the pass then
 * counts as failed and the trigger retries it with backoff. After an apply without failures the
 * conntrack entries of connections pinned to a lost gateway are deleted ({@link LostGatewayConnections});
 * a failed deletion fails the pass too (it is retried), never the apply.
 */
public final class NodeDatapathReconciler implements ReconcileNodeDatapathUseCase {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDatapathReconciler.class);

    private final String nodeName;
    private final WatchAgentStatePort watch;
    private final ReadNodeFactsPort nodeFacts;
    private final ObserveDatapathPort observe;
    private final ApplyDatapathPort apply;
    private final UpdateOwnEgressNodePort report;
    private final DatapathPlanning planning;
    private final BooleanSupplier fenced;
    private final AgentStats stats;
    private final LostGatewayConnections lostGateways;
    private volatile Map<String, Long> programmed = Map.of();
    /** The plan of the last pass that applied without failures: what drift is measured against. */
    private Datapath lastApplied;
    /**
     * What the kernel holds as far as this agent knows without reading it: the plan of the last pass
     * that observed or applied without failures, and the scope it was read in. Null forces the next
     * pass to observe (start, a failure, a resync).
     */
    private Datapath believed;
    private io.egressgateway.domain.datapath.OwnershipScope believedScope;
    private final Executor reportExecutor;
    private final AtomicReference<AgentNodeReport> pendingReport = new AtomicReference<>();

    /** Reports are written on the calling thread (tests). */
    public NodeDatapathReconciler(String nodeName, WatchAgentStatePort watch, ReadNodeFactsPort nodeFacts,
                                  ObserveDatapathPort observe, ApplyDatapathPort apply, DeleteConnectionsPort connections,
                                  UpdateOwnEgressNodePort report, DatapathPlanning planning, BooleanSupplier fenced,
                                  AgentStats stats) {
        this(nodeName, watch, nodeFacts, observe, apply, connections, report, planning, fenced, stats, Runnable::run);
    }

    /**
     * {@code reportExecutor} writes the EgressNode report: in production its own thread, because a write
     * to an unreachable API server blocks while the client retries, and the next pass (fencing above
     * all) must not wait for it. Only the latest report is written.
     */
    public NodeDatapathReconciler(String nodeName, WatchAgentStatePort watch, ReadNodeFactsPort nodeFacts,
                                  ObserveDatapathPort observe, ApplyDatapathPort apply, DeleteConnectionsPort connections,
                                  UpdateOwnEgressNodePort report, DatapathPlanning planning, BooleanSupplier fenced,
                                  AgentStats stats, Executor reportExecutor) {
        this.reportExecutor = reportExecutor;
        this.nodeName = nodeName;
        this.watch = watch;
        this.nodeFacts = nodeFacts;
        this.observe = observe;
        this.apply = apply;
        this.report = report;
        this.planning = planning;
        this.fenced = fenced;
        this.stats = stats;
        this.lostGateways = new LostGatewayConnections(nodeName, connections, planning, stats);
    }

    @Override
    public PassResult reconcile(boolean resync) {
        if (!watch.synced()) {
            if (fenced.getAsBoolean()) {
                return withdrawAnnouncements();
            }
            LOG.debug("node={} pass skipped: caches not synced", nodeName);
            return PassResult.notSynced();
        }
        long start = System.nanoTime();
        PassPhases.Timer phases = stats.phases().start();
        // Fencing (and the announcement gate behind it) is judged before the snapshot is taken: a gate
        // that opens because the cache has just caught up must not let a snapshot taken a moment
        // earlier, from before the catch-up, announce EIPs that have moved away (FencingE2EIT saw the
        // cut gateway answer again for 1.5 s under load when the snapshot came first).
        boolean withdraw = fenced.getAsBoolean();
        AgentClusterState state = watch.snapshot();
        phases.end(Phase.SNAPSHOT);
        NodeFacts facts = nodeFacts.read();
        phases.end(Phase.FACTS);
        var scope = planning.scope(state);
        // An event pass trusts what the last good pass left (the kernel as planned then); a resync, the
        // first pass and any pass after a failure read the kernel back, so drift is repaired within one
        // resync interval. An endpoint change is so one set update, not a re-read of every object.
        boolean incremental = !resync && believed != null && scope.equals(believedScope);
        // observed first: the plan keeps node-wide sysctls someone else set (fib_multipath_hash_policy)
        Datapath actual = incremental ? believed : observe.observe(scope);
        phases.end(Phase.OBSERVE);
        Datapath planned = planning.plan(state, facts, withdraw, observedSysctls(actual));
        phases.end(Phase.PLAN);
        Datapath desired = lostGateways.planned(actual, planned);
        List<DatapathOp> ops = DatapathDiff.between(desired, actual);
        phases.end(Phase.DIFF);
        ApplyReport result = ops.isEmpty() ? new ApplyReport(0, List.of()) : apply.apply(ops);
        phases.end(Phase.APPLY);
        account(ops, result, resync);
        accountDrift(DatapathOps.drift(ops, lastApplied), result);
        if (result.ok()) {
            lastApplied = desired;
            believed = desired;
            believedScope = scope;
        } else {
            believed = null;
        }
        int notDeleted = lostGateways.deleteAfter(result, desired);
        if (result.ok()) {
            programmed = planning.programmedGenerations(state);
        }
        reportNode(desired, facts, result);
        phases.end(Phase.REPORT);
        int failures = result.failures().size() + notDeleted;
        stats.recordPass(System.nanoTime() - start, failures == 0, incremental, ops.size(), phases);
        return new PassResult(false, ops.size(), failures, true);
    }

    private static Map<String, String> observedSysctls(Datapath actual) {
        Map<String, String> m = new java.util.HashMap<>();
        actual.ofType(Sysctl.class).forEach(x -> m.put(x.path(), x.value()));
        return m;
    }

    /**
     * Fenced without a synced cache (an agent started during an API server outage, or one whose
     * informers are relisting): nothing may be planned, but the EIPs must stop being answered.
     */
    private PassResult withdrawAnnouncements() {
        Datapath actual = observe.observe(planning.scope(watch.snapshot()));
        List<DatapathOp> ops = actual.ofKind(Kind.EIP_ANNOUNCEMENT).stream().map(DatapathOp::delete).toList();
        ApplyReport result = ops.isEmpty() ? new ApplyReport(0, List.of()) : apply.apply(ops);
        account(ops, result, false);
        believed = null;
        return new PassResult(false, ops.size(), result.failures().size(), false);
    }

    private void account(List<DatapathOp> ops, ApplyReport result, boolean resync) {
        for (DatapathOp op : ops) {
            if (result.failures().stream().noneMatch(f -> f.op().equals(op))) {
                stats.recordApplied(op.kind());
            }
        }
        for (ApplyDatapathPort.Failure f : result.failures()) {
            LOG.warn("node={} op failed: {}: {}", nodeName, f.op().render().lines().findFirst().orElse(""), f.reason());
        }
        stats.recordFailures(result.failures().size());
        if (!ops.isEmpty()) {
            LOG.info("node={} applied={} failed={} resync={}", nodeName, result.applied(), result.failures().size(), resync);
        }
    }

    /** Drift is counted in whichever pass finds it; a resync pass exists so that one does. */
    private void accountDrift(List<DatapathOp> drift, ApplyReport result) {
        int repaired = 0;
        for (DatapathOp op : drift) {
            if (result.failures().stream().noneMatch(f -> f.op().equals(op))) {
                LOG.info("node={} drift repaired: {}", nodeName, op.render().lines().findFirst().orElse(""));
                repaired++;
            }
        }
        stats.recordDrift(repaired);
    }

    private void reportNode(Datapath desired, NodeFacts facts, ApplyReport result) {
        List<TunnelLink> links = desired.ofType(TunnelLink.class);
        String parent = links.isEmpty() ? "" : links.get(0).parent();
        String v4 = links.stream().filter(l -> l.underlay() == Family.IPV4).map(TunnelLink::localIp).findFirst().orElse("");
        String v6 = links.stream().filter(l -> l.underlay() == Family.IPV6).map(TunnelLink::localIp).findFirst().orElse("");
        List<ApplyDatapathPort.Failure> linkFailures = result.failures().stream()
                .filter(f -> f.op().kind() == Kind.LINK || f.op().kind() == Kind.ADDRESS).toList();
        boolean tunnelReady = !links.isEmpty() && linkFailures.isEmpty();
        String reason = links.isEmpty() ? "NoTunnelPlanned" : tunnelReady ? "TunnelBuilt" : "TunnelFailed";
        String message = links.isEmpty() ? "no tunnel device planned yet (waiting for this node's allocation)"
                : tunnelReady ? "tunnel devices " + links.stream().map(TunnelLink::name).toList() + " are up"
                : linkFailures.get(0).reason();
        List<NodeInterface> interfaces = ReportedInterfaces.of(desired, facts);
        AgentNodeReport r = new AgentNodeReport(parent, v4, v6, interfaces, tunnelReady, reason, message, programmed);
        if (pendingReport.getAndSet(r) == null) {
            reportExecutor.execute(this::writeLatestReport);
        }
    }

    private void writeLatestReport() {
        AgentNodeReport r = pendingReport.getAndSet(null);
        if (r == null) {
            return;
        }
        try {
            report.update(nodeName, r);
        } catch (RuntimeException e) {
            // The datapath is applied either way; the report is retried on the next pass.
            LOG.warn("node={} could not report its EgressNode status: {}", nodeName, e.toString());
        }
    }
}
