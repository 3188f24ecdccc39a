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
    public AgentClusterState snapshot() {
        if (nodes == null) {
            throw new IllegalStateException("snapshot() before start()");
        }
        return new AgentClusterState(
                InformerSet.sorted(nodes, n -> ResourceMapping.egressNode(n, Map.of())),
                InformerSet.sorted(gateways, ResourceMapping::gateway),
                InformerSet.sorted(policies, ResourceMapping::policy),
                InformerSet.sorted(slices, ResourceMapping::slice),
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
