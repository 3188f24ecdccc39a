package io.egressgateway.application.agent;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.plan.DatapathPlanner;
import io.egressgateway.domain.plan.NodeSnapshot;
import io.egressgateway.domain.plan.PinnedMarks;
import io.egressgateway.domain.plan.PlannerSettings;
import io.egressgateway.domain.plan.SnapshotVetting;
import io.egressgateway.domain.validation.NetworkContext;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * The production planning: the domain planner over the informers' snapshot. A fenced node plans
 * everything but its EIP announcements. Every policy counts as programmed once a pass succeeded,
 * because every node takes part in every policy (it marks its own pods' packets), except a policy
 * the planner left out because it breaks a rule: that one is logged (once per change) and not
 * reported as programmed.
 */
public final class DomainDatapathPlanning implements DatapathPlanning {
    private static final Logger LOG = LoggerFactory.getLogger(DomainDatapathPlanning.class);
    private final String nodeName;
    private final PlannerSettings settings;
    private final NetworkContext network;
    private volatile Set<String> skippedPolicies = Set.of();
    private List<String> lastSkipped = List.of();
    /** The last plan and what it was planned from (issue 18: a steady pass plans nothing new). */
    private PlanInput lastInput;
    private Datapath lastPlan;

    private record PlanInput(AgentClusterState state, NodeFacts facts, Map<String, String> observedSysctls) {
    }

    public DomainDatapathPlanning(String nodeName, Settings settings) {
        this(nodeName, settings, true);
    }

    /** {@code trafficCounters}: false on a kernel without nfacct, where no counting rule can be loaded. */
    public DomainDatapathPlanning(String nodeName, Settings settings, boolean trafficCounters) {
        this.nodeName = nodeName;
        this.settings = plannerSettings(settings).withTrafficCounters(trafficCounters);
        this.network = settings.cluster().network();
    }

    public static PlannerSettings plannerSettings(Settings s) {
        return new PlannerSettings(s.tunnel().v4Name(), s.tunnel().v6Name(), s.tunnel().vni(), s.tunnel().port(),
                s.tunnel().parentInterface(), s.mark().base(), s.mark().mask(), s.mark().reservedMask(),
                s.mark().rulePriority(), s.failClosed(), s.enableIPv4(), s.enableIPv6());
    }

    @Override
    public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced) {
        return plan(state, facts, fenced, Map.of());
    }

    @Override
    public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced, Map<String, String> observedSysctls) {
        Datapath planned = planned(new PlanInput(state, facts, Map.copyOf(observedSysctls)));
        if (!fenced) {
            return planned;
        }
        return new Datapath(planned.objects().stream().filter(o -> !(o instanceof EipAnnouncement)).toList());
    }

    /**
     * The planner is a pure function of its input: the same cluster state, node facts and sysctls give
     * the same plan, so an unchanged input (a steady pass; the snapshot's lists are then the very same
     * instances, docs/agent.md "Where a pass spends its time") reuses the last plan instead of planning
     * 1,000 policies again. The kernel is still read back and diffed against it in every resync.
     */
    private synchronized Datapath planned(PlanInput input) {
        if (input.equals(lastInput)) {
            return lastPlan;
        }
        DatapathPlanner.Planned result = DatapathPlanner.plan(new NodeSnapshot(nodeName, input.facts(),
                input.state().egressNodes(), input.state().gateways(), input.state().policies(),
                input.state().endpointSlices(), input.state().clusterInfo().orElse(null), settings,
                input.observedSysctls()), network);
        report(result.skipped());
        lastInput = input;
        lastPlan = result.datapath();
        return lastPlan;
    }

    /** Logs what was left out when that changes, not on every pass. */
    private synchronized void report(List<SnapshotVetting.Skipped> skipped) {
        List<String> now = skipped.stream().map(SnapshotVetting.Skipped::describe).sorted().toList();
        if (!now.equals(lastSkipped)) {
            now.stream().filter(x -> !lastSkipped.contains(x))
                    .forEach(x -> LOG.warn("node={} left out of the datapath: {}", nodeName, x));
            lastSkipped = now;
        }
        skippedPolicies = Set.copyOf(skipped.stream().filter(x -> x.kind().equals("EgressGatewayPolicy"))
                .map(SnapshotVetting.Skipped::name).toList());
    }

    /** Only pools the address rules accept: the agent owns (and deletes) every proxy entry inside them. */
    @Override
    public OwnershipScope scope(AgentClusterState state) {
        return DatapathPlanner.scope(settings, SnapshotVetting.clusterInfo(state.clusterInfo().orElse(null), network));
    }

    @Override
    public Map<String, Long> programmedGenerations(AgentClusterState state) {
        Map<String, Long> m = new TreeMap<>();
        Set<String> skipped = skippedPolicies;
        for (Policy p : state.policies()) {
            if (!skipped.contains(p.name())) {
                m.put(p.name(), p.generation());
            }
        }
        return m;
    }

    @Override
    public List<ConnectionPin> lostPins(Datapath before, Datapath after) {
        return PinnedMarks.lost(settings, before, after);
    }

    @Override
    public boolean restores(Datapath d, ConnectionPin pin) {
        return PinnedMarks.restores(settings, d, pin);
    }
}
