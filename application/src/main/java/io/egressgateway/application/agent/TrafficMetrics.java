package io.egressgateway.application.agent;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricSource;
import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.application.port.out.ReadTrafficCountersPort;
import io.egressgateway.application.port.out.ReadTrafficCountersPort.Count;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.TrafficCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Traffic per policy and EIP from the kernel's counters (docs/traffic-metrics.md). The planner names
 * the counters; {@link #planning} wraps the agent's planning to learn, from each plan, which counter
 * stands for which policy and EIP, so a scrape needs only one kernel dump and never the agent's loop.
 *
 * <p>The kernel's count starts at zero whenever its object is (re)created: a policy's EIP that moves
 * away and back, or an object someone deleted and the next pass restored. The exported value is the
 * sum over the object's lives in this process, so it never goes down; it resets only with the process.
 * Counters of policies no longer planned are not exported; their totals are kept (a few bytes each)
 * so a policy that comes back continues where it was.
 */
public final class TrafficMetrics implements MetricSource {
    static final String EGRESS_PACKETS = "egressgateway_policy_egress_packets_total";
    static final String EGRESS_BYTES = "egressgateway_policy_egress_bytes_total";
    static final String STEERED_PACKETS = "egressgateway_policy_steered_packets_total";
    static final String STEERED_BYTES = "egressgateway_policy_steered_bytes_total";

    private final String nodeName;
    private final ReadTrafficCountersPort kernel;
    private volatile List<TrafficCounter> planned = List.of();
    private final Map<String, Lives> lives = new HashMap<>();

    public TrafficMetrics(String nodeName, ReadTrafficCountersPort kernel) {
        this.nodeName = nodeName;
        this.kernel = kernel;
    }

    /** {@code delegate}, remembering the counters of every plan it makes. */
    public DatapathPlanning planning(DatapathPlanning delegate) {
        return new Recording(delegate);
    }

    /** The counters of the latest plan (labels come from here). */
    void planned(Datapath d) {
        planned = d.ofType(TrafficCounter.class);
    }

    @Override
    public synchronized List<MetricFamily> collect() {
        if (!kernel.supported()) {
            return List.of();
        }
        Map<String, Count> now = kernel.read();
        List<MetricFamily.Sample> egressPackets = new ArrayList<>();
        List<MetricFamily.Sample> egressBytes = new ArrayList<>();
        List<MetricFamily.Sample> steeredPackets = new ArrayList<>();
        List<MetricFamily.Sample> steeredBytes = new ArrayList<>();
        for (TrafficCounter c : planned) {
            Count raw = now.get(c.name());
            if (raw == null) {
                continue;
            }
            Count total = lives.computeIfAbsent(c.name(), k -> new Lives()).advance(raw);
            if (c.isEgress()) {
                Map<String, String> labels = Map.of("policy", c.policy(), "eip", c.eip(), "gateway", nodeName);
                egressPackets.add(new MetricFamily.Sample(labels, total.packets()));
                egressBytes.add(new MetricFamily.Sample(labels, total.bytes()));
            } else if (c.isSteered()) {
                Map<String, String> labels = Map.of("policy", c.policy());
                steeredPackets.add(new MetricFamily.Sample(labels, total.packets()));
                steeredBytes.add(new MetricFamily.Sample(labels, total.bytes()));
            }
        }
        return List.of(
                new MetricFamily(EGRESS_PACKETS, "Packets that left this gateway with the policy's EIP as source.",
                        MetricFamily.Type.COUNTER, egressPackets),
                new MetricFamily(EGRESS_BYTES, "Bytes (IP packets, headers included) that left this gateway with the "
                        + "policy's EIP as source.", MetricFamily.Type.COUNTER, egressBytes),
                new MetricFamily(STEERED_PACKETS, "Packets of the policy's pods on this node steered into the tunnel.",
                        MetricFamily.Type.COUNTER, steeredPackets),
                new MetricFamily(STEERED_BYTES, "Bytes (inner IP packets) of the policy's pods on this node steered into "
                        + "the tunnel.", MetricFamily.Type.COUNTER, steeredBytes));
    }

    /** One counter's earlier lives: a kernel value below the last one seen means the object was recreated. */
    private static final class Lives {
        private long donePackets;
        private long doneBytes;
        private Count last = new Count(0, 0);

        Count advance(Count raw) {
            if (raw.packets() < last.packets() || raw.bytes() < last.bytes()) {
                donePackets += last.packets();
                doneBytes += last.bytes();
            }
            last = raw;
            return new Count(donePackets + raw.packets(), doneBytes + raw.bytes());
        }
    }

    private final class Recording implements DatapathPlanning {
        private final DatapathPlanning delegate;

        Recording(DatapathPlanning delegate) {
            this.delegate = delegate;
        }

        @Override
        public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced) {
            Datapath d = delegate.plan(state, facts, fenced);
            planned(d);
            return d;
        }

        @Override
        public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced, Map<String, String> sysctls) {
            Datapath d = delegate.plan(state, facts, fenced, sysctls);
            planned(d);
            return d;
        }

        @Override
        public OwnershipScope scope(AgentClusterState state) {
            return delegate.scope(state);
        }

        @Override
        public Map<String, Long> programmedGenerations(AgentClusterState state) {
            return delegate.programmedGenerations(state);
        }

        @Override
        public List<ConnectionPin> lostPins(Datapath before, Datapath after) {
            return delegate.lostPins(before, after);
        }

        @Override
        public boolean restores(Datapath d, ConnectionPin pin) {
            return delegate.restores(d, pin);
        }
    }
}
