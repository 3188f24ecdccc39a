package io.egressgateway.application.controller;

import io.egressgateway.application.port.out.UpdateEndpointSlicesPort;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.select.EndpointSelector;
import io.egressgateway.domain.select.EndpointSlicer;
import io.egressgateway.domain.select.PodIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint slices step of a pass: selects each policy's endpoints and submits the slice writes
 * that differ to the pass's concurrent writes, planned against the snapshot with this controller's
 * own writes the informer has not delivered yet laid over it ({@link SliceOverlay}). The slices of policies a dirty Pod is in go first
 * (a pod joining waits for no other policy's slice), deletions last.
 */
final class EndpointSliceStep {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceStep.class);
    private final UpdateEndpointSlicesPort slices;
    private final SubnetEndpoints subnetEndpoints;
    private final int maxPerSlice;
    private final SliceOverlay overlay = new SliceOverlay(System::nanoTime);

    EndpointSliceStep(UpdateEndpointSlicesPort slices, SubnetEndpoints subnetEndpoints, int maxPerSlice) {
        this.slices = slices;
        this.subnetEndpoints = subnetEndpoints;
        this.maxPerSlice = maxPerSlice;
    }

    static boolean slicesDirty(Set<String> dirty) {
        for (String k : dirty) {
            if (k.equals(ReconcileControllerUseCase.ALL) || k.startsWith("Pod/") || k.startsWith("Namespace/")
                    || k.startsWith("EgressGatewayPolicy/") || k.startsWith("EgressEndpointSlice/")) {
                return true;
            }
        }
        return false;
    }

    void run(ControllerPass p) {
        Map<String, List<EndpointSlice>> byPolicy = new TreeMap<>();
        for (EndpointSlice sl : overlay.view(p.s.endpointSlices())) {
            byPolicy.computeIfAbsent(sl.policy() == null ? "" : sl.policy(), k -> new ArrayList<>()).add(sl);
        }
        if (!slicesDirty(p.dirty)) {
            byPolicy.forEach((pol, l) -> p.endpointCounts.put(pol, l.stream().mapToInt(x -> x.endpoints().size()).sum()));
            subnetEndpoints.counts().forEach(p.endpointCounts::put);
            return;
        }
        Set<String> policyNames = new HashSet<>();
        p.s.policies().forEach(pol -> policyNames.add(pol.name()));
        subnetEndpoints.retain(policyNames);
        // by label: policies x pods matches were the controller's cost while 10,000 Pods were written (issue 18)
        PodIndex pods = PodIndex.of(p.s.pods());
        List<Runnable> urgent = new ArrayList<>();
        List<Runnable> rest = new ArrayList<>();
        List<Runnable> deletes = new ArrayList<>();
        for (Policy pol : p.v.policies()) {
            List<Endpoint> selected = EndpointSelector.select(pol, pods.candidates(pol), p.s.namespaceLabels());
            p.endpointCounts.put(pol.name(), selected.size());
            // a podSubnet policy's agents steer its subnets as they are: its slices would only be read back
            List<Endpoint> wanted = subnetEndpoints.remember(pol, selected);
            EndpointSlicer.SlicePlan plan = EndpointSlicer.plan(pol.name(), wanted,
                    byPolicy.getOrDefault(pol.name(), List.of()), maxPerSlice);
            String name = pol.name();
            List<Runnable> writes = new ArrayList<>();
            boolean joined = false;
            for (EndpointSlice sl : plan.create()) {
                joined |= hasDirtyPod(sl, p.dirty);
                String[] created = new String[1];
                writes.add(() -> p.writes.submit("create slice policy=" + name, () -> {
                    created[0] = slices.create(name, sl.endpoints());
                    if (created[0] != null) {
                        LOG.info("policy={} slice={} created endpoints={}", name, created[0], sl.endpoints().size());
                    }
                    return created[0] != null;
                }, () -> {
                    if (created[0] != null) {
                        overlay.created(new EndpointSlice(created[0], name, sl.endpoints()));
                    }
                }));
            }
            for (EndpointSlice sl : plan.update()) {
                joined |= hasDirtyPod(sl, p.dirty);
                writes.add(() -> p.writes.submit("update slice=" + sl.name(), () -> slices.update(sl.name(), sl.endpoints()),
                        () -> overlay.updated(sl)));
            }
            (joined ? urgent : rest).addAll(writes);
            for (String del : plan.delete()) {
                deletes.add(() -> p.writes.submit("delete slice=" + del, () -> {
                    boolean gone = slices.delete(del);
                    LOG.info("policy={} slice={} deleted", name, del);
                    return gone;
                }, () -> overlay.deleted(del)));
            }
        }
        // slices whose policy is gone: the API server's garbage collector removes them through the
        // ownerReference; deleting them here too covers a collector that lags (or a test server without one)
        byPolicy.forEach((pol, l) -> {
            if (!policyNames.contains(pol)) {
                l.forEach(sl -> deletes.add(() -> p.writes.submit("delete orphan slice=" + sl.name(),
                        () -> slices.delete(sl.name()), () -> overlay.deleted(sl.name()))));
            }
        });
        urgent.forEach(Runnable::run);
        rest.forEach(Runnable::run);
        deletes.forEach(Runnable::run);
    }

    /** The slice lists a pod whose key is dirty in this pass (the pod that just joined). */
    private static boolean hasDirtyPod(EndpointSlice sl, Set<String> dirty) {
        for (Endpoint e : sl.endpoints()) {
            if (dirty.contains("Pod/" + e.namespace() + "/" + e.pod())) {
                return true;
            }
        }
        return false;
    }
}
