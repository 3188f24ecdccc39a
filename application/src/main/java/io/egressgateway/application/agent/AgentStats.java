package io.egressgateway.application.agent;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import io.egressgateway.application.metrics.DurationHistogram;
import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.domain.datapath.Kind;

/**
 * The agent's counters, plain Java so the application stays free of a metrics library;
 * {@link AgentMetrics} names them and the bootstrap exposes them. Written by the loop thread, read
 * by anyone.
 */
public final class AgentStats {
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong failedPasses = new AtomicLong();
    private final AtomicLong failedOperations = new AtomicLong();
    private final AtomicLong driftRepaired = new AtomicLong();
    private final AtomicLong lastPassNanos = new AtomicLong();
    private final AtomicLong lastHeartbeatMillis = new AtomicLong();
    private final AtomicLong connectionsDeleted = new AtomicLong();
    private final AtomicLong connectionDeleteFailures = new AtomicLong();
    private final Map<Kind, AtomicLong> appliedByKind = new EnumMap<>(Kind.class);
    private final DurationHistogram passDuration = new DurationHistogram();
    private volatile boolean lastPassOk;
    private final PassTimes steadyPasses = new PassTimes();
    private final PassTimes incrementalPasses = new PassTimes();

    private final PassPhases phases;

    /** Phases on the loop thread's CPU clock (tests); production gives the process's. */
    public AgentStats() {
        this(threadCpu());
    }

    /** {@code cpuNanos}: the CPU clock the pass phases are measured with ({@link PassPhases}). */
    public AgentStats(java.util.function.LongSupplier cpuNanos) {
        this.phases = new PassPhases(cpuNanos);
        for (Kind k : Kind.values()) {
            appliedByKind.put(k, new AtomicLong());
        }
    }

    void recordPass(long nanos, boolean ok) {
        recordPass(nanos, ok, false, -1);
    }

    /**
     * {@code incremental}: the pass trusted the last good pass's plan instead of reading the kernel
     * back; {@code operations}: what it applied. A pass that read everything back and found nothing
     * to do (the periodic resync at rest) is a steady pass.
     */
    void recordPass(long nanos, boolean ok, boolean incremental, int operations) {
        recordPass(nanos, ok, incremental, operations, null);
    }

    /** As above, with the pass's phases ({@code timer} may be null). */
    void recordPass(long nanos, boolean ok, boolean incremental, int operations, PassPhases.Timer timer) {
        if (timer != null) {
            timer.record(incremental ? PassPhases.Pass.INCREMENTAL
                    : ok && operations == 0 ? PassPhases.Pass.STEADY : PassPhases.Pass.OTHER);
        }
        if (incremental) {
            incrementalPasses.record(nanos);
        } else if (ok && operations == 0) {
            steadyPasses.record(nanos);
        }
        passes.incrementAndGet();
        lastPassNanos.set(nanos);
        passDuration.observeNanos(nanos);
        lastPassOk = ok;
        if (!ok) {
            failedPasses.incrementAndGet();
        }
    }

    void recordApplied(Kind kind) {
        appliedByKind.get(kind).incrementAndGet();
    }

    void recordFailures(int n) {
        failedOperations.addAndGet(n);
    }

    void recordDrift(int n) {
        driftRepaired.addAndGet(n);
    }

    /** Conntrack entries of connections pinned to a lost gateway, deleted. */
    void recordConnectionsDeleted(int n) {
        connectionsDeleted.addAndGet(n);
    }

    void recordConnectionDeleteFailure() {
        connectionDeleteFailures.incrementAndGet();
    }

    void recordHeartbeat(long epochMillis) {
        lastHeartbeatMillis.set(epochMillis);
    }

    public long passes() { return passes.get(); }
    public long failedPasses() { return failedPasses.get(); }
    public long failedOperations() { return failedOperations.get(); }
    public long driftRepaired() { return driftRepaired.get(); }
    public long lastPassNanos() { return lastPassNanos.get(); }
    public boolean lastPassOk() { return lastPassOk; }
    public long lastHeartbeatMillis() { return lastHeartbeatMillis.get(); }
    public long connectionsDeleted() { return connectionsDeleted.get(); }
    public long connectionDeleteFailures() { return connectionDeleteFailures.get(); }

    public MetricFamily.Buckets passDuration() {
        return passDuration.snapshot();
    }

    /** Durations of the recent passes that read the kernel back and had nothing to do (resyncs at rest). */
    public PassPhases phases() { return phases; }

    private static java.util.function.LongSupplier threadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads::getCurrentThreadCpuTime : System::nanoTime;
    }

    public PassTimes steadyPasses() { return steadyPasses; }

    /** Durations of the recent event passes that trusted the last good plan. */
    public PassTimes incrementalPasses() { return incrementalPasses; }

    public long applied(Kind kind) {
        return appliedByKind.get(kind).get();
    }
}
