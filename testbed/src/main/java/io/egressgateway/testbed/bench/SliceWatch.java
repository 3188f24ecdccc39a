package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.cluster.Resources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches the EgressEndpointSlices as an agent does and notes when a pod appears in or leaves them:
 * splits a pod-added latency into the controller's part (API write to slice) and the agents' part
 * (slice to the first packet with the EIP). The harness gets the events about when the agents do.
 */
final class SliceWatch implements AutoCloseable {
    private record Change(long at, boolean present) {
    }

    private final Map<String, Set<String>> podsBySlice = new HashMap<>();
    private final Map<String, List<Change>> changes = new HashMap<>();
    private final Watch watch;

    SliceWatch(KubernetesClient client) {
        this.watch = client.genericKubernetesResources(Resources.kind("EgressEndpointSlice")).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource r) {
                seen(r.getMetadata().getName(), action == Action.DELETED ? Set.of() : pods(r), System.nanoTime());
            }

            @Override
            public void onClose(WatcherException cause) {
                // the harness's waits time out and say what they waited for
            }
        });
    }

    private static Set<String> pods(GenericKubernetesResource r) {
        Set<String> pods = new HashSet<>();
        if (r.getAdditionalProperties().get("endpoints") instanceof List<?> l) {
            for (Object e : l) {
                if (e instanceof Map<?, ?> m && m.get("pod") != null) {
                    pods.add(String.valueOf(m.get("pod")));
                }
            }
        }
        return pods;
    }

    private synchronized void seen(String slice, Set<String> now, long at) {
        Set<String> before = presentPods();
        podsBySlice.put(slice, now);
        Set<String> after = presentPods();
        for (String p : before) {
            if (!after.contains(p)) {
                changes.computeIfAbsent(p, k -> new ArrayList<>()).add(new Change(at, false));
            }
        }
        for (String p : after) {
            if (!before.contains(p)) {
                changes.computeIfAbsent(p, k -> new ArrayList<>()).add(new Change(at, true));
            }
        }
        notifyAll();
    }

    private Set<String> presentPods() {
        Set<String> all = new HashSet<>();
        podsBySlice.values().forEach(all::addAll);
        return all;
    }

    /** When {@code pod} first entered ({@code present}) or left the slices at or after {@code after} (nanoTime). */
    synchronized long await(String pod, boolean present, long after, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            for (Change c : changes.getOrDefault(pod, List.of())) {
                if (c.at() >= after && c.present() == present) {
                    return c.at();
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("timed out after " + deadline.toSeconds() + " s waiting for pod " + pod
                        + " to " + (present ? "appear in" : "leave") + " the EgressEndpointSlices");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
