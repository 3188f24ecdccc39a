package io.egressgateway.application.agent;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Where the agent's passes spend their time, phase by phase (issue 18: a steady pass at scale must
 * stay under 100 ms, docs/agent.md "Where a pass spends its time"). Each phase is measured twice:
 * on the wall clock and on a CPU clock. Production's CPU clock is the process's CPU time (the read-back
 * runs on the namespace thread, garbage collection and the JIT on their own, and they belong to the pass
 * all the same; at rest nothing else in the agent runs); under load the CPU figure is the robust one.
 * Totals per kind of pass ({@link Pass}), so that a scrape before and after a window gives the mean
 * phase of the steady passes in it. Written by the loop thread, read by the metrics scrape.
 */
public final class PassPhases {
    /** The pipeline's steps, in order (NodeDatapathReconciler). */
    public enum Phase {
        SNAPSHOT, FACTS, OBSERVE, PLAN, DIFF, APPLY, REPORT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The kinds of pass AgentStats tells apart. */
    public enum Pass {
        STEADY, INCREMENTAL, OTHER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongSupplier cpuNanos;
    private final AtomicLongArray wall = new AtomicLongArray(Pass.values().length * Phase.values().length);
    private final AtomicLongArray cpu = new AtomicLongArray(Pass.values().length * Phase.values().length);

    public PassPhases(LongSupplier cpuNanos) {
        if (cpuNanos == null) {
            throw new IllegalArgumentException("a CPU clock is required");
        }
        this.cpuNanos = cpuNanos;
    }

    /** One pass being timed: {@link #end(Phase)} closes the phase that ran since the previous mark. */
    public Timer start() {
        return new Timer();
    }

    /** Seconds spent in {@code phase} by passes of kind {@code pass}, on the wall clock. */
    public double wallSeconds(Pass pass, Phase phase) {
        return wall.get(index(pass, phase)) / 1e9;
    }

    /** Seconds of CPU spent in {@code phase} by passes of kind {@code pass}. */
    public double cpuSeconds(Pass pass, Phase phase) {
        return cpu.get(index(pass, phase)) / 1e9;
    }

    private static int index(Pass pass, Phase phase) {
        return pass.ordinal() * Phase.values().length + phase.ordinal();
    }

    /** The phases of one pass; added to the totals once the pass knows what kind it was. */
    public final class Timer {
        private final long[] wallNanos = new long[Phase.values().length];
        private final long[] cpuNanosOf = new long[Phase.values().length];
        private long lastWall = System.nanoTime();
        private long lastCpu = cpuNanos.getAsLong();

        public void end(Phase phase) {
            long w = System.nanoTime();
            long c = cpuNanos.getAsLong();
            wallNanos[phase.ordinal()] += w - lastWall;
            cpuNanosOf[phase.ordinal()] += Math.max(0, c - lastCpu);
            lastWall = w;
            lastCpu = c;
        }

        void record(Pass pass) {
            for (Phase p : Phase.values()) {
                wall.addAndGet(index(pass, p), wallNanos[p.ordinal()]);
                cpu.addAndGet(index(pass, p), cpuNanosOf[p.ordinal()]);
            }
        }
    }
}
