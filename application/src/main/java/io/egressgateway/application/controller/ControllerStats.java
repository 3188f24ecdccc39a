package io.egressgateway.application.controller;

import io.egressgateway.application.metrics.DurationHistogram;
import io.egressgateway.application.metrics.MetricFamily;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The controller's numbers, plain Java so the application stays free of a metrics library;
 * {@link ControllerMetrics} turns them into metric families and the bootstrap exposes them.
 * Counters live as long as the process (every leadership term adds to them); the gauges derived
 * from the cluster are those of the last pass of the current term, and none while this replica
 * does not lead. Written by the reconciling thread, read by anyone.
 */
public final class ControllerStats {
    /** Why an EIP (or a policy's traffic) left the node that carried it: the {@code cause} label. */
    public enum FailoverCause {
        node_deleted, node_not_ready, heartbeat_lost, node_unselected, egressnode_failed, moved
    }

    private final AtomicInteger unservedNodes = new AtomicInteger();
    private final AtomicLong passesOk = new AtomicLong();
    private final AtomicLong passesFailed = new AtomicLong();
    private final DurationHistogram passDuration = new DurationHistogram();
    private final DurationHistogram queueWait = new DurationHistogram();
    private final DurationHistogram planned = new DurationHistogram();
    private final Map<String, DurationHistogram> writes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> allocations = new ConcurrentHashMap<>();
    private final Map<List<String>, AtomicLong> failovers = new ConcurrentHashMap<>();
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile boolean leading;
    private volatile List<MetricFamily> clusterGauges = List.of();
    private volatile Set<String> gateways = Set.of();

    /** EgressNodes that got no tunnel address, MAC or mark: their pods leave without an EIP. */
    public int unservedNodes() {
        return unservedNodes.get();
    }

    void unservedNodes(int n) {
        unservedNodes.set(n);
    }

    /** A pass ended: {@code ok} false when it threw or one of its writes failed. */
    void pass(long nanos, boolean ok) {
        (ok ? passesOk : passesFailed).incrementAndGet();
        passDuration.observeNanos(nanos);
    }

    /** A pass started {@code nanos} after the first of its keys was queued (an event's wait for its pass). */
    void queueWait(long nanos) {
        queueWait.observeNanos(nanos);
    }

    /** One API write of a pass took {@code nanos}; {@code kind} e.g. {@code update_slice}, {@code status_policy}. */
    void write(String kind, long nanos) {
        writes.computeIfAbsent(kind, k -> new DurationHistogram()).observeNanos(nanos);
    }

    /** From a pass's start to its slice writes being on their way (snapshot, vetting, nodes, selection). */
    void planned(long nanos) {
        planned.observeNanos(nanos);
    }

    public MetricFamily.Buckets planned() {
        return planned.snapshot();
    }

    public MetricFamily.Buckets queueWait() {
        return queueWait.snapshot();
    }

    /** Write durations by kind, sorted. */
    public Map<String, MetricFamily.Buckets> writeDurations() {
        Map<String, MetricFamily.Buckets> out = new TreeMap<>();
        writes.forEach((k, h) -> out.put(k, h.snapshot()));
        return out;
    }

    /** A policy got an EIP of one family from {@code gateway}'s pool. */
    void allocated(String gateway) {
        allocations.computeIfAbsent(gateway, g -> new AtomicLong()).incrementAndGet();
    }

    void failover(String gateway, FailoverCause cause) {
        failovers.computeIfAbsent(List.of(gateway, cause.name()), k -> new AtomicLong()).incrementAndGet();
    }

    /**
     * The gateways of the last pass: their counters are exported from 0 on, so the first failover or
     * allocation of a gateway is an increase that {@code increase()} and {@code rate()} can see (a
     * series that appears with the value 1 is not). Replaced each pass, so a deleted gateway's
     * zero series go with it (counts it already has stay).
     */
    void gatewaysSeen(Collection<String> names) {
        gateways = Set.copyOf(names);
    }

    /** The gateways of the last pass, sorted. */
    public Set<String> gateways() {
        return new TreeSet<>(gateways);
    }

    /** A term started leading (its queue's depth is read at scrape time) or stopped ({@code null}). */
    void term(IntSupplier queue) {
        queueDepth = queue == null ? () -> 0 : queue;
        leading = queue != null;
        if (queue == null) {
            clusterGauges = List.of();
        }
    }

    /** The gauges of the last pass (replaced whole, so a scrape never sees half a pass). */
    void clusterGauges(List<MetricFamily> families) {
        clusterGauges = List.copyOf(families);
    }

    public boolean leading() {
        return leading;
    }

    public long passes(boolean ok) {
        return (ok ? passesOk : passesFailed).get();
    }

    public MetricFamily.Buckets passDuration() {
        return passDuration.snapshot();
    }

    public int queueDepth() {
        return leading ? queueDepth.getAsInt() : 0;
    }

    /** EIP allocations by gateway, sorted. */
    public Map<String, Long> allocations() {
        Map<String, Long> out = new TreeMap<>();
        allocations.forEach((g, n) -> out.put(g, n.get()));
        return out;
    }

    /** Failovers by (gateway, cause). */
    public Map<List<String>, Long> failovers() {
        Map<List<String>, Long> out = new java.util.HashMap<>();
        failovers.forEach((k, n) -> out.put(k, n.get()));
        return out;
    }

    /** Empty while this replica does not lead. */
    public List<MetricFamily> clusterGauges() {
        return leading ? clusterGauges : List.of();
    }
}
