package io.egressgateway.application.agent;

import static io.egressgateway.application.agent.AgentFixtures.FACTS;
import static io.egressgateway.application.agent.AgentFixtures.policy;
import static io.egressgateway.application.agent.AgentFixtures.slice;
import static io.egressgateway.application.agent.AgentFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.application.agent.PassPhases.Pass;
import io.egressgateway.application.agent.PassPhases.Phase;
import io.egressgateway.application.metrics.MetricFamily;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PassPhasesTest {
    /** A CPU clock that advances 1 ms every time it is read, so each phase costs exactly 1 ms of "CPU". */
    private final AtomicLong cpu = new AtomicLong();
    private final AgentStats stats = new AgentStats(() -> cpu.addAndGet(1_000_000));
    private final InMemoryKernel kernel = new InMemoryKernel();
    private final AgentFixtures.FakeWatch watch = new AgentFixtures.FakeWatch();
    private final NodeDatapathReconciler reconciler = new NodeDatapathReconciler("node1", watch, () -> FACTS,
            kernel, kernel, pin -> 0, new AgentFixtures.RecordingReport(), new AgentFixtures.ToyPlanning(), () -> false,
            stats);

    @Test
    void eachPhaseIsChargedToTheKindOfPassItBelongedTo() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(true); // applies: "other"
        reconciler.reconcile(true); // read back, nothing to do: steady
        reconciler.reconcile(true); // steady again
        reconciler.reconcile(false); // trusts the last plan: incremental
        PassPhases p = stats.phases();
        for (Phase phase : Phase.values()) {
            assertThat(p.cpuSeconds(Pass.STEADY, phase)).as(phase.label()).isEqualTo(0.002);
            assertThat(p.cpuSeconds(Pass.INCREMENTAL, phase)).as(phase.label()).isEqualTo(0.001);
            assertThat(p.cpuSeconds(Pass.OTHER, phase)).as(phase.label()).isEqualTo(0.001);
            assertThat(p.wallSeconds(Pass.STEADY, phase)).as(phase.label()).isGreaterThanOrEqualTo(0);
        }
        assertThat(stats.steadyPasses().count()).isEqualTo(2);
    }

    @Test
    void theMetricFamilyListsEveryPassPhaseAndClock() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of()));
        reconciler.reconcile(true);
        reconciler.reconcile(true);
        MetricFamily f = new AgentMetrics(stats, () -> 0, () -> false).collect().stream()
                .filter(x -> x.name().equals("egressgateway_agent_pass_phase_seconds_total")).findFirst().orElseThrow();
        assertThat(f.samples()).hasSize(Pass.values().length * Phase.values().length * 2);
        assertThat(f.samples()).filteredOn(s -> s.labels().equals(java.util.Map.of("pass", "steady", "phase", "observe",
                "clock", "cpu"))).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(0.001));
    }

    @Test
    void aMissingClockIsRefused() {
        assertThatThrownBy(() -> new PassPhases(null)).hasMessageContaining("CPU clock");
    }
}
