package io.egressgateway.application.agent;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricFamily.Sample;
import io.egressgateway.application.metrics.MetricFamily.Type;
import io.egressgateway.application.metrics.MetricSource;
import io.egressgateway.domain.datapath.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** The agent's loop metric families (docs/metrics.md), read from {@link AgentStats} at scrape time. */
public final class AgentMetrics implements MetricSource {
    private final AgentStats s;
    private final LongSupplier heartbeatAgeMillis;
    private final BooleanSupplier fenced;

    public AgentMetrics(AgentStats stats, LongSupplier heartbeatAgeMillis, BooleanSupplier fenced) {
        this.s = stats;
        this.heartbeatAgeMillis = heartbeatAgeMillis;
        this.fenced = fenced;
    }

    @Override
    public List<MetricFamily> collect() {
        long failed = s.failedPasses();
        List<Sample> applied = new ArrayList<>();
        for (Kind k : Kind.values()) {
            applied.add(new Sample(Map.of("kind", k.name().toLowerCase(Locale.ROOT)), s.applied(k)));
        }
        List<Sample> phaseSeconds = new ArrayList<>();
        PassPhases ph = s.phases();
        for (PassPhases.Pass pass : PassPhases.Pass.values()) {
            for (PassPhases.Phase phase : PassPhases.Phase.values()) {
                phaseSeconds.add(new Sample(Map.of("pass", pass.label(), "phase", phase.label(), "clock", "cpu"),
                        ph.cpuSeconds(pass, phase)));
                phaseSeconds.add(new Sample(Map.of("pass", pass.label(), "phase", phase.label(), "clock", "wall"),
                        ph.wallSeconds(pass, phase)));
            }
        }
        return List.of(
                new MetricFamily("egressgateway_agent_pass_phase_seconds_total", "Time spent in each phase of the"
                        + " datapath passes, by kind of pass (steady, incremental, other) and clock (wall, or the"
                        + " process's CPU time).", Type.COUNTER, phaseSeconds),
                new MetricFamily("egressgateway_agent_passes_total",
                        "Datapath passes by result: error when an operation failed or the pass threw.", Type.COUNTER,
                        List.of(new Sample(Map.of("result", "ok"), s.passes() - failed),
                                new Sample(Map.of("result", "error"), failed))),
                new MetricFamily("egressgateway_agent_pass_duration_seconds", "How long datapath passes took.",
                        Type.HISTOGRAM, List.of(Sample.histogram(Map.of(), s.passDuration()))),
                gauge("egressgateway_agent_last_pass_duration_seconds", "How long the last datapath pass took.",
                        s.lastPassNanos() / 1e9),
                counter("egressgateway_agent_drift_repaired_total",
                        "Kernel objects found changed or missing and put back.", s.driftRepaired()),
                counter("egressgateway_agent_operations_failed_total", "Kernel operations that failed.",
                        s.failedOperations()),
                new MetricFamily("egressgateway_agent_operations_applied_total",
                        "Kernel operations applied, by kind of object.", Type.COUNTER, applied),
                counter("egressgateway_agent_conntrack_deleted_total",
                        "Conntrack entries of connections pinned to a lost gateway, deleted.", s.connectionsDeleted()),
                counter("egressgateway_agent_conntrack_delete_failures_total",
                        "Attempts to delete such conntrack entries that failed.", s.connectionDeleteFailures()),
                gauge("egressgateway_agent_heartbeat_age_seconds", "Seconds since the node's Lease was last renewed.",
                        heartbeatAgeMillis.getAsLong() / 1e3),
                gauge("egressgateway_agent_fenced",
                        "1 while the node is fenced (its Lease could not be renewed: it carries no EIP), else 0.",
                        fenced.getAsBoolean() ? 1 : 0));
    }

    private static MetricFamily counter(String name, String help, double v) {
        return new MetricFamily(name, help, Type.COUNTER, List.of(new Sample(Map.of(), v)));
    }

    private static MetricFamily gauge(String name, String help, double v) {
        return new MetricFamily(name, help, Type.GAUGE, List.of(new Sample(Map.of(), v)));
    }
}
