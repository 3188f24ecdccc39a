package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.application.port.out.ReadEgressStatePort;
import io.egressgateway.application.port.out.RequestEipMovePort;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.move.EipMoveRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code egressgateway ctl}'s reads (plain lists, no informers: one command, one read) and its one
 * write, the gateway's move annotation, applied as a JSON merge patch of metadata.annotations so it
 * touches nothing else and needs no resourceVersion. Runs with the user's identity.
 */
final class KubernetesCtlAdapter implements ReadEgressStatePort, RequestEipMovePort {
    private final KubernetesClient client;
    private final String namespace;

    KubernetesCtlAdapter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public EgressState read() {
        Map<String, Instant> heartbeats = new HashMap<>();
        Map<String, Map<String, Long>> programmed = new HashMap<>();
        for (Lease l : list("Leases in namespace " + namespace,
                () -> client.leases().inNamespace(namespace).withLabel(HeartbeatLeases.NODE_LABEL).list().getItems())) {
            String node = HeartbeatLeases.nodeOf(l);
            if (node != null) {
                Instant t = HeartbeatLeases.renewTime(l);
                if (t != null) {
                    heartbeats.put(node, t);
                }
                programmed.put(node, HeartbeatLeases.programmed(l));
            }
        }
        List<EgressGateway> gws = list("EgressGateways", () -> client.resources(EgressGateway.class).list().getItems());
        Map<String, String> moves = new TreeMap<>();
        for (EgressGateway g : gws) {
            var ann = g.getMetadata().getAnnotations();
            if (ann != null && ann.get(EipMoveRequest.ANNOTATION) != null) {
                moves.put(g.getMetadata().getName(), ann.get(EipMoveRequest.ANNOTATION));
            }
        }
        return new EgressState(
                sorted(list("Nodes", () -> client.nodes().list().getItems()), ResourceMapping::node),
                sorted(list("EgressNodes", () -> client.resources(EgressNode.class).list().getItems()),
                        e -> ResourceMapping.egressNode(e, programmed.getOrDefault(e.getMetadata().getName(), Map.of()))),
                sorted(gws, ResourceMapping::gateway),
                sorted(list("EgressGatewayPolicies", () -> client.resources(EgressGatewayPolicy.class).list().getItems()),
                        ResourceMapping::policy),
                InformerSet.mapEach(list("EgressClusterInfos", () -> client.resources(EgressClusterInfo.class).list().getItems())
                        .stream().filter(c -> EgressClusterInfo.DEFAULT_NAME.equals(c.getMetadata().getName())).toList(),
                        ResourceMapping::clusterInfo).stream().findFirst(),
                heartbeats, moves);
    }

    @Override
    public Optional<PodInfo> pod(String ns, String name) {
        Pod p = get("Pod " + ns + "/" + name, () -> client.pods().inNamespace(ns).withName(name).get());
        return p == null ? Optional.empty() : Optional.of(ResourceMapping.pod(p));
    }

    @Override
    public Map<String, String> namespaceLabels(String ns) {
        Namespace n = get("Namespace " + ns, () -> client.namespaces().withName(ns).get());
        return n == null || n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    @Override
    public void request(String gateway, String annotationValue) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + EipMoveRequest.ANNOTATION + "\":\""
                + annotationValue.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}}";
        try {
            client.resources(EgressGateway.class).withName(gateway)
                    .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 403 || e.getCode() == 409 || e.getCode() == 422) {
                String msg = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                        : e.getMessage();
                throw new RefusedException(msg);
            }
            throw new ReadFailedException("writing annotation " + EipMoveRequest.ANNOTATION + " of EgressGateway "
                    + gateway + " failed: " + e.getMessage(), e);
        }
    }

    private static <T extends HasMetadata, R> List<R> sorted(List<T> items, Function<T, R> map) {
        return InformerSet.mapEach(items.stream().sorted(Comparator.comparing((T o) -> o.getMetadata().getName())).toList(), map);
    }

    private static <T> List<T> list(String what, Supplier<List<T>> read) {
        return get(what, read);
    }

    private static <T> T get(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            throw new ReadFailedException("cannot read " + what + ": " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "")
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()), e);
        }
    }
}
