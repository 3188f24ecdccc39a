package io.egressgateway.testbed.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The project's custom resources as generic objects, so that the testbed writes them the way a user
 * does (YAML in, the API server's admission and defaults applied) without the adapter's classes.
 */
public final class Resources {
    public static final String GROUP = "egressgateway.spidernet.io";

    private final KubernetesClient client;

    public Resources(KubernetesClient client) {
        this.client = client;
    }

    public static ResourceDefinitionContext kind(String kind) {
        String plural = switch (kind) {
            case "EgressGateway" -> "egressgateways";
            case "EgressGatewayPolicy" -> "egressgatewaypolicies";
            case "EgressNode" -> "egressnodes";
            case "EgressEndpointSlice" -> "egressendpointslices";
            case "EgressClusterInfo" -> "egressclusterinfos";
            default -> throw new IllegalArgumentException("not a kind of " + GROUP + ": " + kind);
        };
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(false).build();
    }

    /** Creates the object of a YAML file (one document). */
    public GenericKubernetesResource create(Path yaml) {
        try {
            return create(Files.readString(yaml));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + yaml + ": " + e.getMessage(), e);
        }
    }

    public GenericKubernetesResource create(String yaml) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        return client.genericKubernetesResources(kind(r.getKind())).resource(r).create();
    }

    public GenericKubernetesResource get(String kind, String name) {
        return client.genericKubernetesResources(kind(kind)).withName(name).get();
    }

    public List<GenericKubernetesResource> list(String kind) {
        return client.genericKubernetesResources(kind(kind)).list().getItems();
    }

    public void delete(String kind, String name) {
        client.genericKubernetesResources(kind(kind)).withName(name).delete();
    }

    /**
     * Waits until the controller has elected the gateway's nodes: by then the controller (and its
     * admission cache) know the gateway, so a policy naming it is admitted at once.
     */
    public void awaitGatewayElected(String name) {
        Waits.until("gateway " + name + " to list its nodes", java.time.Duration.ofSeconds(60), () -> {
            Object nodes = status(get("EgressGateway", name), "nodeList");
            return nodes instanceof List<?> l && !l.isEmpty();
        });
    }

    /** A status field by path ("eip", "ipv4"), or null. */
    @SuppressWarnings("unchecked")
    public static Object status(GenericKubernetesResource r, String... path) {
        if (r == null) {
            return null;
        }
        Object o = r.getAdditionalProperties().get("status");
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = ((Map<String, Object>) m).get(p);
        }
        return o;
    }
}
