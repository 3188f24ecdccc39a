package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.egressgateway.application.port.out.ControllerClusterState;
import io.egressgateway.application.port.out.WatchControllerStatePort;
import io.egressgateway.domain.model.PodInfo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The controller's informers: Nodes, Pods, Namespaces, the five custom resources, and the heartbeat
 * Leases in the project's namespace, and the optional ServiceCIDR / Calico IPPool sources
 * ({@link ClusterNetworkSources}). Only the leader runs them. Each event is reported as a key
 * {@code <Kind>/<name>} (Pods {@code Pod/<ns>/<name>}) for the coalescing queue.
 */
final class KubernetesControllerStateAdapter implements WatchControllerStatePort {
    private final KubernetesClient client;
    private final String namespace;
    private InformerSet set;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<EgressNode> egressNodes;
    private SharedIndexInformer<EgressGateway> gateways;
    private volatile SharedIndexInformer<EgressGatewayPolicy> policies;
    private volatile SharedIndexInformer<EgressEndpointSlice> slices;
    private SharedIndexInformer<EgressClusterInfo> clusterInfo;
    private SharedIndexInformer<Lease> leases;
    private ClusterNetworkSources networks;

    KubernetesControllerStateAdapter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public synchronized void start(Consumer<String> onChange) {
        set = new InformerSet();
        nodes = set.add(client.nodes().withLimit(InformerSet.PAGE).runnableInformer(0), key("Node", onChange));
        pods = set.add(client.pods().inAnyNamespace().withLimit(InformerSet.PAGE).runnableInformer(0),
                p -> onChange.accept("Pod/" + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
        namespaces = set.add(client.namespaces().withLimit(InformerSet.PAGE).runnableInformer(0), key("Namespace", onChange));
        egressNodes = set.add(client.resources(EgressNode.class).withLimit(InformerSet.PAGE).runnableInformer(0), key("EgressNode", onChange));
        gateways = set.add(client.resources(EgressGateway.class).withLimit(InformerSet.PAGE).runnableInformer(0), key("EgressGateway", onChange));
        policies = set.add(client.resources(EgressGatewayPolicy.class).withLimit(InformerSet.PAGE).runnableInformer(0),
                key("EgressGatewayPolicy", onChange));
        slices = set.add(client.resources(EgressEndpointSlice.class).withLimit(InformerSet.PAGE).runnableInformer(0),
                key("EgressEndpointSlice", onChange));
        clusterInfo = set.add(client.resources(EgressClusterInfo.class).withName(EgressClusterInfo.DEFAULT_NAME)
                .runnableInformer(0), key("EgressClusterInfo", onChange));
        leases = set.add(client.leases().inNamespace(namespace).withLabel(HeartbeatLeases.NODE_LABEL)
                .runnableInformer(0), key("Lease", onChange));
        set.start();
        networks = new ClusterNetworkSources(client);
        networks.start(onChange);
    }

    /** The informer's copy of a slice (shared: clone before changing it), null when unknown or not running. */
    EgressEndpointSlice cachedSlice(String name) {
        var i = slices;
        return i == null ? null : i.getStore().getByKey(name);
    }

    /** The informer's copy of a policy (shared: clone before changing it), null when unknown or not running. */
    EgressGatewayPolicy cachedPolicy(String name) {
        var i = policies;
        return i == null ? null : i.getStore().getByKey(name);
    }

    private static <T extends HasMetadata> Consumer<T> key(String kind, Consumer<String> onChange) {
        return o -> onChange.accept(kind + "/" + o.getMetadata().getName());
    }

    @Override
    public synchronized boolean synced() {
        return set != null && set.synced() && networks.synced();
    }

    @Override
    public synchronized ControllerClusterState snapshot() {
        Map<String, Instant> heartbeats = new HashMap<>();
        java.util.Set<String> restarting = new java.util.TreeSet<>();
        Map<String, Map<String, Long>> programmed = new HashMap<>();
        for (Lease l : leases.getStore().list()) {
            String node = HeartbeatLeases.nodeOf(l);
            if (node != null) {
                Instant t = HeartbeatLeases.renewTime(l);
                if (t != null) {
                    heartbeats.put(node, t);
                }
                programmed.put(node, HeartbeatLeases.programmed(l));
                if (HeartbeatLeases.restarting(l)) {
                    restarting.add(node);
                }
            }
        }
        Map<String, Map<String, String>> nsLabels = new HashMap<>();
        namespaces.getStore().list().forEach(n -> nsLabels.put(n.getMetadata().getName(),
                n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
        List<PodInfo> podInfos = InformerSet.mapEach(pods.getStore().list().stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName())).toList(), ResourceMapping::pod);
        return new ControllerClusterState(
                InformerSet.sorted(nodes, ResourceMapping::node),
                InformerSet.sorted(egressNodes, e -> ResourceMapping.egressNode(e,
                        programmed.getOrDefault(e.getMetadata().getName(), Map.of()))),
                deleting(egressNodes),
                InformerSet.sorted(gateways, ResourceMapping::gateway),
                deleting(gateways),
                InformerSet.sorted(policies, ResourceMapping::policy),
                podInfos, nsLabels,
                InformerSet.sorted(slices, ResourceMapping::slice),
                InformerSet.mapEach(clusterInfo.getStore().list(), ResourceMapping::clusterInfo).stream().findFirst(),
                heartbeats, restarting, networks.snapshot(), moveRequests());
    }

    private Map<String, String> moveRequests() {
        Map<String, String> out = new HashMap<>();
        for (EgressGateway g : gateways.getStore().list()) {
            var ann = g.getMetadata().getAnnotations();
            String v = ann == null ? null : ann.get(io.egressgateway.domain.move.EipMoveRequest.ANNOTATION);
            if (v != null) {
                out.put(g.getMetadata().getName(), v);
            }
        }
        return out;
    }

    private static <T extends HasMetadata> Set<String> deleting(SharedIndexInformer<T> informer) {
        Set<String> out = new TreeSet<>();
        informer.getStore().list().stream().filter(o -> o.getMetadata().getDeletionTimestamp() != null)
                .forEach(o -> out.add(o.getMetadata().getName()));
        return out;
    }

    @Override
    public synchronized void stop() {
        if (set != null) {
            set.stop();
            set = null;
            networks.stop();
            networks = null;
        }
    }
}
