package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.application.port.out.CacheBarrier;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's informers: EgressNodes, EgressGateways, policies, endpoint slices and the one
 * EgressClusterInfo. Never Pods, Nodes or Leases: those grow with the cluster or change every second.
 * Their stores keep only what the agent reads ({@link AgentItems}).
 */
final class KubernetesAgentStateAdapter implements WatchAgentStatePort {
    private final KubernetesClient client;
    private final InformerSet set = new InformerSet(AgentItems::trim);
    private SharedIndexInformer<EgressNode> nodes;
    private SharedIndexInformer<EgressGateway> gateways;
    private SharedIndexInformer<EgressGatewayPolicy> policies;
    private SharedIndexInformer<EgressEndpointSlice> slices;
    private SharedIndexInformer<EgressClusterInfo> clusterInfo;
    private final MappedItems<EgressNode, io.egressgateway.domain.model.EgressNode> mappedNodes =
            new MappedItems<>(n -> ResourceMapping.egressNode(n, Map.of()));
    private final MappedItems<EgressGateway, io.egressgateway.domain.model.Gateway> mappedGateways =
            new MappedItems<>(ResourceMapping::gateway);
    private final MappedItems<EgressGatewayPolicy, io.egressgateway.domain.model.Policy> mappedPolicies =
            new MappedItems<>(ResourceMapping::policy);
    private final MappedItems<EgressEndpointSlice, io.egressgateway.domain.model.EndpointSlice> mappedSlices =
            new MappedItems<>(ResourceMapping::slice);

    KubernetesAgentStateAdapter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public synchronized void start(Runnable onChange) {
        if (nodes != null) {
            throw new IllegalStateException("agent informers already started");
        }
        nodes = set.add(client.resources(EgressNode.class).withLimit(InformerSet.PAGE).runnableInformer(0), o -> onChange.run());
        gateways = set.add(client.resources(EgressGateway.class).withLimit(InformerSet.PAGE).runnableInformer(0), o -> onChange.run());
        policies = set.add(client.resources(EgressGatewayPolicy.class).withLimit(InformerSet.PAGE).runnableInformer(0), o -> onChange.run());
        slices = set.add(client.resources(EgressEndpointSlice.class).withLimit(InformerSet.PAGE).runnableInformer(0), o -> onChange.run());
        clusterInfo = set.add(client.resources(EgressClusterInfo.class).withName(EgressClusterInfo.DEFAULT_NAME)
                .runnableInformer(0), o -> onChange.run());
        set.start();
    }

    @Override
    public boolean synced() {
        return nodes != null && set.synced();
    }

    @Override
    public synchronized AgentClusterState snapshot() {
        if (nodes == null) {
            throw new IllegalStateException("snapshot() before start()");
        }
        // unchanged objects are not mapped again (MappedItems); the pass and the heartbeat both take snapshots
        return new AgentClusterState(
                mappedNodes.of(nodes.getStore().list()),
                mappedGateways.of(gateways.getStore().list()),
                mappedPolicies.of(policies.getStore().list()),
                mappedSlices.of(slices.getStore().list()),
                InformerSet.mapEach(clusterInfo.getStore().list(), ResourceMapping::clusterInfo).stream().findFirst());
    }

    @Override
    public CacheBarrier readBarrier() {
        KubernetesResourceList<EgressGateway> list = client.resources(EgressGateway.class).list();
        Map<String, String> versions = new HashMap<>();
        list.getItems().forEach(g -> versions.put(g.getMetadata().getName(), g.getMetadata().getResourceVersion()));
        return new CacheBarrier(String.valueOf(list.getMetadata().getResourceVersion()), versions);
    }

    @Override
    public boolean caughtUp(CacheBarrier barrier) {
        if (gateways == null) {
            return false;
        }
        Map<String, String> cached = new HashMap<>();
        gateways.getStore().list().forEach(g -> cached.put(g.getMetadata().getName(), g.getMetadata().getResourceVersion()));
        return barrier.reachedBy(cached);
    }

    @Override
    public void stop() {
        set.stop();
    }
}
