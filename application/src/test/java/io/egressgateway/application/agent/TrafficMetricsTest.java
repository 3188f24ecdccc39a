package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.application.port.out.ReadTrafficCountersPort;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.TrafficCounter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficMetricsTest {
    private static final TrafficCounter EGRESS = TrafficCounter.egress("shop", "192.0.2.200");
    private static final TrafficCounter STEERED = TrafficCounter.steered("shop");

    private final FakeKernel kernel = new FakeKernel();
    private final TrafficMetrics metrics = new TrafficMetrics("node2", kernel);

    @Test
    void thePlansCountersAreExportedWithTheirPolicyEipAndGateway() {
        metrics.planned(Datapath.of(List.of(EGRESS, STEERED)));
        kernel.set(EGRESS, 10, 15_000);
        kernel.set(STEERED, 3, 400);
        assertThat(value(TrafficMetrics.EGRESS_BYTES, Map.of("policy", "shop", "eip", "192.0.2.200", "gateway", "node2"))).isEqualTo(15_000);
        assertThat(value(TrafficMetrics.EGRESS_PACKETS, Map.of("policy", "shop", "eip", "192.0.2.200", "gateway", "node2")))
                .isEqualTo(10);
        assertThat(value(TrafficMetrics.STEERED_BYTES, Map.of("policy", "shop"))).isEqualTo(400);
        assertThat(value(TrafficMetrics.STEERED_PACKETS, Map.of("policy", "shop"))).isEqualTo(3);
    }

    @Test
    void aRecreatedKernelObjectContinuesTheCounterInsteadOfResettingIt() {
        metrics.planned(Datapath.of(List.of(STEERED)));
        kernel.set(STEERED, 5, 5_000);
        assertThat(value(TrafficMetrics.STEERED_BYTES, Map.of("policy", "shop"))).isEqualTo(5_000);
        kernel.set(STEERED, 1, 100); // deleted and created again between two scrapes
        assertThat(value(TrafficMetrics.STEERED_BYTES, Map.of("policy", "shop"))).isEqualTo(5_100);
        assertThat(value(TrafficMetrics.STEERED_PACKETS, Map.of("policy", "shop"))).isEqualTo(6);
        kernel.set(STEERED, 2, 300);
        assertThat(value(TrafficMetrics.STEERED_BYTES, Map.of("policy", "shop"))).isEqualTo(5_300);
    }

    @Test
    void aCounterNoLongerPlannedIsNotExportedAndContinuesWhenItComesBack() {
        metrics.planned(Datapath.of(List.of(STEERED)));
        kernel.set(STEERED, 5, 5_000);
        metrics.collect();
        metrics.planned(Datapath.empty());
        kernel.remove(STEERED);
        assertThat(samples(TrafficMetrics.STEERED_BYTES)).isEmpty();
        metrics.planned(Datapath.of(List.of(STEERED)));
        kernel.set(STEERED, 1, 200);
        assertThat(value(TrafficMetrics.STEERED_BYTES, Map.of("policy", "shop"))).isEqualTo(5_200);
    }

    @Test
    void aKernelObjectWithoutAPlannedCounterIsNotExported() {
        kernel.set(STEERED, 5, 5_000);
        assertThat(samples(TrafficMetrics.STEERED_BYTES)).isEmpty();
    }

    @Test
    void aKernelWithoutNfacctExportsNoFamily() {
        kernel.supported = false;
        metrics.planned(Datapath.of(List.of(STEERED)));
        assertThat(metrics.collect()).isEmpty();
    }

    @Test
    void thePlanningWrapperRecordsEveryPlan() {
        DatapathPlanning inner = new FixedPlanning(Datapath.of(List.of(STEERED)));
        DatapathPlanning wrapped = metrics.planning(inner);
        kernel.set(STEERED, 1, 60);
        assertThat(samples(TrafficMetrics.STEERED_BYTES)).isEmpty();
        wrapped.plan(null, null, false, Map.of());
        assertThat(value(TrafficMetrics.STEERED_BYTES, Map.of("policy", "shop"))).isEqualTo(60);
    }

    private long value(String family, Map<String, String> labels) {
        return samples(family).stream().filter(s -> s.labels().equals(labels)).findFirst()
                .map(s -> (long) s.value()).orElseThrow(() -> new AssertionError("no " + family + labels));
    }

    private List<MetricFamily.Sample> samples(String family) {
        return metrics.collect().stream().filter(f -> f.name().equals(family)).findFirst()
                .map(MetricFamily::samples).orElseThrow(() -> new AssertionError("no family " + family));
    }

    /** Always the same plan; the rest of the seam is not used by the wrapper's recording. */
    private record FixedPlanning(Datapath d) implements DatapathPlanning {
        @Override
        public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced) {
            return d;
        }

        @Override
        public OwnershipScope scope(AgentClusterState state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> programmedGenerations(AgentClusterState state) {
            return Map.of();
        }

        @Override
        public List<ConnectionPin> lostPins(Datapath before, Datapath after) {
            return List.of();
        }

        @Override
        public boolean restores(Datapath d, ConnectionPin pin) {
            return false;
        }
    }

    private static final class FakeKernel implements ReadTrafficCountersPort {
        private final Map<String, Count> counts = new HashMap<>();
        boolean supported = true;

        void set(TrafficCounter c, long packets, long bytes) {
            counts.put(c.name(), new Count(packets, bytes));
        }

        void remove(TrafficCounter c) {
            counts.remove(c.name());
        }

        @Override
        public boolean supported() {
            return supported;
        }

        @Override
        public Map<String, Count> read() {
            return Map.copyOf(counts);
        }
    }
}
