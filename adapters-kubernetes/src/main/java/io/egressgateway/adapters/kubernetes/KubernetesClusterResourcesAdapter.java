package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.out.ReadClusterResourcesPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gateways and policies for admission, from informer caches once started and synced; before that
 * (or after stop) from a direct list, so admission never decides on an empty cache.
 */
final class KubernetesClusterResourcesAdapter implements ReadClusterResourcesPort, Service {
    private final KubernetesClient client;
    private final Duration syncTimeout;
    private final InformerSet set = new InformerSet();
    private volatile SharedIndexInformer<EgressGateway> gateways;
    private volatile SharedIndexInformer<EgressGatewayPolicy> policies;
    private volatile SharedIndexInformer<EgressClusterInfo> clusterInfo;

    KubernetesClusterResourcesAdapter(KubernetesClient client, Duration syncTimeout) {
        this.client = client;
        this.syncTimeout = syncTimeout;
    }

    @Override
    public String name() {
        return "cluster-resources-informers";
    }

    @Override
    public void start() throws Exception {
        var g = set.add(client.resources(EgressGateway.class).withLimit(InformerSet.PAGE).runnableInformer(0), o -> { });
        var p = set.add(client.resources(EgressGatewayPolicy.class).withLimit(InformerSet.PAGE).runnableInformer(0), o -> { });
        var ci = set.add(client.resources(EgressClusterInfo.class).runnableInformer(0), o -> { });
        set.start();
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        while (!set.synced()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway/policy informers not synced within " + syncTimeout);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        gateways = g;
        policies = p;
        clusterInfo = ci;
    }

    /** The informers listed once (admission answers from them, not from a direct list). */
    boolean synced() {
        return gateways != null && set.synced();
    }

    @Override
    public void stop() {
        gateways = null;
        policies = null;
        clusterInfo = null;
        set.stop();
    }

    @Override
    public List<io.egressgateway.domain.model.Gateway> gateways() {
        var inf = gateways;
        if (inf != null) {
            return InformerSet.sorted(inf, ResourceMapping::gateway);
        }
        return InformerSet.mapEach(client.resources(EgressGateway.class).list().getItems().stream()
                .sorted(Comparator.comparing(o -> o.getMetadata().getName())).toList(), ResourceMapping::gateway);
    }

    /** From the informer only: before it synced the address rules use configuration alone. */
    @Override
    public java.util.Optional<io.egressgateway.domain.model.ClusterInfo> clusterInfo() {
        var inf = clusterInfo;
        return inf == null ? java.util.Optional.empty()
                : InformerSet.mapEach(inf.getStore().list(), ResourceMapping::clusterInfo).stream().findFirst();
    }

    @Override
    public List<io.egressgateway.domain.model.Policy> policies() {
        var inf = policies;
        if (inf != null) {
            return InformerSet.sorted(inf, ResourceMapping::policy);
        }
        return InformerSet.mapEach(client.resources(EgressGatewayPolicy.class).list().getItems().stream()
                .sorted(Comparator.comparing(o -> o.getMetadata().getName())).toList(), ResourceMapping::policy);
    }
}
