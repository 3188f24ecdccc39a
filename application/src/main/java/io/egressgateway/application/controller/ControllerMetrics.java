package io.egressgateway.application.controller;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricFamily.Sample;
import io.egressgateway.application.metrics.MetricFamily.Type;
import io.egressgateway.application.metrics.MetricSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The controller's metric families (docs/metrics.md): its counters always, and the gauges derived
 * from the cluster only while this replica leads, so a standby never reports a stale gateway.
 * {@code egressgateway_controller_leader} says which replica that is.
 */
public final class ControllerMetrics implements MetricSource {
    private final ControllerStats stats;

    public ControllerMetrics(ControllerStats stats) {
        this.stats = stats;
    }

    @Override
    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>();
        out.add(gauge("egressgateway_controller_leader", "1 while this replica leads (runs the reconcile loop), else 0.",
                stats.leading() ? 1 : 0));
        out.add(new MetricFamily("egressgateway_controller_reconcile_passes_total",
                "Reconcile passes by result: error when the pass threw or one of its writes failed.", Type.COUNTER,
                List.of(new Sample(Map.of("result", "ok"), stats.passes(true)),
                        new Sample(Map.of("result", "error"), stats.passes(false)))));
        out.add(new MetricFamily("egressgateway_controller_reconcile_duration_seconds", "How long reconcile passes took.",
                Type.HISTOGRAM, List.of(Sample.histogram(Map.of(), stats.passDuration()))));
        out.add(new MetricFamily("egressgateway_controller_queue_wait_seconds",
                "From the first event of a pass being queued to the pass starting.", Type.HISTOGRAM,
                List.of(Sample.histogram(Map.of(), stats.queueWait()))));
        out.add(new MetricFamily("egressgateway_controller_plan_duration_seconds",
                "From a pass's start to its slice writes being issued: snapshot, vetting, EgressNodes, endpoint selection.",
                Type.HISTOGRAM, List.of(Sample.histogram(Map.of(), stats.planned()))));
        List<Sample> writes = new ArrayList<>();
        stats.writeDurations().forEach((k, b) -> writes.add(Sample.histogram(Map.of("kind", k), b)));
        out.add(new MetricFamily("egressgateway_controller_write_duration_seconds",
                "API writes of the reconcile pass (issued concurrently), by kind: update_slice, status_policy, ...",
                Type.HISTOGRAM, writes));
        // every gateway seen and every cause from 0 on (ControllerStats.gatewaysSeen says why)
        Map<String, Long> allocations = new TreeMap<>(stats.allocations());
        Map<List<String>, Long> failovers = new HashMap<>(stats.failovers());
        for (String g : stats.gateways()) {
            allocations.putIfAbsent(g, 0L);
            for (ControllerStats.FailoverCause c : ControllerStats.FailoverCause.values()) {
                failovers.putIfAbsent(List.of(g, c.name()), 0L);
            }
        }
        List<Sample> alloc = new ArrayList<>();
        allocations.forEach((g, n) -> alloc.add(new Sample(Map.of("gateway", g), n)));
        out.add(new MetricFamily("egressgateway_controller_eip_allocations_total",
                "EIPs given to policies from a gateway's pool (one per family).", Type.COUNTER, alloc));
        List<Sample> fo = new ArrayList<>();
        failovers.forEach((k, n) -> fo.add(new Sample(Map.of("gateway", k.get(0), "cause", k.get(1)), n)));
        out.add(new MetricFamily("egressgateway_controller_failovers_total",
                "Times a policy's EIP (or traffic) left the gateway node that carried it, by cause.", Type.COUNTER, fo));
        if (stats.leading()) {
            out.add(gauge("egressgateway_controller_queue_depth", "Keys waiting for the next reconcile pass.",
                    stats.queueDepth()));
            out.add(gauge("egressgateway_controller_nodes_unserved",
                    "EgressNodes the controller could not allocate for (phase Failed): their pods leave without an EIP.",
                    stats.unservedNodes()));
            out.addAll(stats.clusterGauges());
        }
        return out;
    }

    static MetricFamily gauge(String name, String help, double value) {
        return new MetricFamily(name, help, Type.GAUGE, List.of(new Sample(Map.of(), value)));
    }
}
