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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The production planning: the domain planner over the informers' snapshot. A fenced node plans
 * everything but its EIP announcements. Every policy counts as programmed once a pass succeeded,
 * because every node takes part in every policy (it marks its own pods' packets).
 */
public final class DomainDatapathPlanning implements DatapathPlanning {
    private final String nodeName;
    private final PlannerSettings settings;

    public DomainDatapathPlanning(String nodeName, Settings settings) {
        this.nodeName = nodeName;
        this.settings = plannerSettings(settings);
    }

    public static PlannerSettings plannerSettings(Settings s) {
        return new PlannerSettings(s.tunnel().v4Name(), s.tunnel().v6Name(), s.tunnel().vni(), s.tunnel().port(),
                s.tunnel().parentInterface(), s.mark().base(), s.mark().mask(), s.mark().reservedMask(),
                s.mark().rulePriority(), s.failClosed(), s.enableIPv4(), s.enableIPv6());
    }

    @Override
    public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced) {
        Datapath planned = DatapathPlanner.plan(new NodeSnapshot(nodeName, facts, state.egressNodes(), state.gateways(),
                state.policies(), state.endpointSlices(), state.clusterInfo().orElse(null), settings));
        if (!fenced) {
            return planned;
        }
        return new Datapath(planned.objects().stream().filter(o -> !(o instanceof EipAnnouncement)).toList());
    }

    @Override
    public OwnershipScope scope(AgentClusterState state) {
        return DatapathPlanner.scope(settings, state.clusterInfo().orElse(null));
    }

    @Override
    public Map<String, Long> programmedGenerations(AgentClusterState state) {
        Map<String, Long> m = new TreeMap<>();
        for (Policy p : state.policies()) {
            m.put(p.name(), p.generation());
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
