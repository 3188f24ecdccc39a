package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.cluster.Kubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * From a pod entering a policy in the API to its first packet leaving with the EIP, two ways:
 * <ul>
 * <li>created: the Pod object (already with its IP and Running, as kubelet reports it) is created;
 *     between samples it is deleted and its traffic seen from node1 again;</li>
 * <li>label: an existing pod's label is flipped to the policy's selector; between samples back.</li>
 * </ul>
 * The clock starts just before the write is sent and stops when the external host's answer to the
 * first attempt with the EIP arrives; attempts leave every probe interval, so a sample overstates
 * by at most one interval plus a round trip.
 */
final class PodAddedBench {
    private static final String APP = "app";

    /**
     * Milliseconds per sample: created, label added, label removed (back to node1's address), and for
     * the first two the part until the EgressEndpointSlices listed the pod (the controller's share).
     */
    record Result(List<Double> created, List<Double> labelAdded, List<Double> labelRemoved, List<Double> createdToSlice,
            List<Double> labelAddedToSlice, Duration interval) {
    }

    private PodAddedBench() {
    }

    static Result run(BenchBed bed, int samples, Duration interval) throws Exception {
        String node1 = bed.testbed.nodeAddress("node1");
        List<Double> created = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        List<Double> removed = new ArrayList<>();
        List<Double> createdSlice = new ArrayList<>();
        List<Double> addedSlice = new ArrayList<>();
        PodResource addedPod = bed.testbed.client().pods().inNamespace("default").withName(BenchBed.ADDED);
        PodResource flipPod = bed.testbed.client().pods().inNamespace("default").withName(BenchBed.FLIP);
        Pod template = fresh(addedPod.get());
        try (SliceWatch slices = new SliceWatch(bed.testbed.client());
                Prober a = bed.prober(BenchBed.ADDED, interval, Duration.ofSeconds(3));
                Prober f = bed.prober(BenchBed.FLIP, interval, Duration.ofSeconds(3))) {
            for (int i = 1; i <= samples; i++) {
                long gone = System.nanoTime();
                addedPod.withGracePeriod(0).delete(); // no kubelet confirms a graceful delete
                a.awaitFirst(BenchBed.ADDED + " seen from node1 after its Pod was deleted", gone, node1::equals,
                        BenchBed.DEADLINE);
                long t0 = System.nanoTime();
                Kubelet.createRunning(bed.testbed.client(), fresh(template));
                Prober.Answer first = a.awaitFirst(BenchBed.ADDED + " seen from the EIP after its Pod was created", t0,
                        bed.eip::equals, BenchBed.DEADLINE);
                created.add(ms(first.answered() - t0));
                createdSlice.add(ms(slices.await(BenchBed.ADDED, true, t0, BenchBed.DEADLINE) - t0));

                long t1 = System.nanoTime();
                setApp(flipPod, "shopping");
                added.add(ms(f.awaitFirst(BenchBed.FLIP + " seen from the EIP after app=shopping", t1, bed.eip::equals,
                        BenchBed.DEADLINE).answered() - t1));
                addedSlice.add(ms(slices.await(BenchBed.FLIP, true, t1, BenchBed.DEADLINE) - t1));
                long t2 = System.nanoTime();
                setApp(flipPod, "idle");
                removed.add(ms(f.awaitFirst(BenchBed.FLIP + " seen from node1 after app=idle", t2, node1::equals,
                        BenchBed.DEADLINE).answered() - t2));
                bed.log.printf("bench: pod-added sample %d/%d: created %.0f ms, label added %.0f ms, removed %.0f ms%n", i,
                        samples, created.get(i - 1), added.get(i - 1), removed.get(i - 1));
            }
        }
        return new Result(created, added, removed, createdSlice, addedSlice, interval);
    }

    /** {@code pod} as a new object: no uid, resourceVersion or timestamps, status kept (the testbed's kubelet). */
    private static Pod fresh(Pod pod) {
        return new PodBuilder(pod).editMetadata().withUid(null).withResourceVersion(null).withCreationTimestamp(null)
                .withManagedFields(List.of()).withGeneration(null).withDeletionTimestamp(null).endMetadata().build();
    }

    private static void setApp(PodResource pod, String value) {
        pod.edit(p -> new PodBuilder(p).editMetadata().addToLabels(APP, value).endMetadata().build());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static Table table(Result r) {
        Table.Builder t = new Table.Builder("A pod joins a policy: from the API write to its first packet with the EIP"
                + " (pod on node1, gateway elsewhere)", "event", "samples", "p50 ms", "p99 ms", "min ms", "max ms");
        row(t, "Pod created with its IP (selected)", r.created());
        row(t, "- of which: until the EgressEndpointSlice lists it (controller)", r.createdToSlice());
        row(t, "- of which: slice to first packet with the EIP (agents)", minus(r.created(), r.createdToSlice()));
        row(t, "label flipped to the selector", r.labelAdded());
        row(t, "- of which: until the EgressEndpointSlice lists it (controller)", r.labelAddedToSlice());
        row(t, "- of which: slice to first packet with the EIP (agents)", minus(r.labelAdded(), r.labelAddedToSlice()));
        row(t, "label flipped away (back to node1's address)", r.labelRemoved());
        t.note("probe interval " + r.interval().toMillis() + " ms: every sample overstates by at most that plus a round"
                + " trip; percentiles are nearest-rank (with fewer than 100 samples p99 is the maximum)");
        t.note("the slice time is when this harness's own watch of EgressEndpointSlices saw the pod, which is about"
                + " when the agents' informers see it");
        t.note("budget (datapath.md): p99 under 500 ms for a pod added");
        return t.build();
    }

    private static List<Double> minus(List<Double> a, List<Double> b) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            d.add(a.get(i) - b.get(i));
        }
        return d;
    }

    private static void row(Table.Builder t, String event, List<Double> v) {
        Stats s = Stats.of(v);
        t.row(event, s.n(), s.p50(), s.p99(), s.min(), s.max());
    }
}
