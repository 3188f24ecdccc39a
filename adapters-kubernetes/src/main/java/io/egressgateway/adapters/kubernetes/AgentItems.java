package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayStatus;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.crd.NamedRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * What an agent's informers keep of each object: only what {@code ResourceMapping} reads for the
 * agent (docs/agent.md, "What the agent caches"; docs/benchmarks.md, "Issue 18: the agent's live
 * heap"). Every agent holds every policy, endpoint slice, gateway and EgressNode of the cluster, so a
 * byte kept per object is paid (objects x nodes) times. On top of {@link SlimItemStore#slim}:
 * <ul>
 * <li>metadata keeps name, namespace, resourceVersion (the informer compares it; the agent's
 * cache barrier reads the gateways'), generation, deletionTimestamp, and of the labels only a
 * slice's policy label; uid, annotations (e.g. kubectl's last-applied copy of the whole object),
 * owner references, finalizers and timestamps go;</li>
 * <li>statuses lose their conditions (the controller's bookkeeping; the agent plans from eip, node,
 * nodeList, forwardMethod, mark) and a gateway's readyNodes/activeNodes (display only);</li>
 * <li>strings that repeat across objects (namespaces, node names, policy and gateway names, EIPs,
 * apiVersion and kind) are {@link String#intern() interned}: 10,000 endpoints on three nodes carry
 * three node names, not 10,000 copies. Pod names and addresses are unique and stay as parsed;</li>
 * <li>a slice's lists become immutable copies of their size.</li>
 * </ul>
 * The object is trimmed in place before the store keeps it; the agent never writes a cached object
 * back (its own EgressNode is read with a GET before its status is written).
 */
final class AgentItems {
    private AgentItems() {
    }

    static <T extends HasMetadata> T trim(T obj) {
        SlimItemStore.slim(obj);
        trimMetadata(obj);
        if (obj instanceof EgressEndpointSlice s) {
            trimSlice(s);
        } else if (obj instanceof EgressGatewayPolicy p) {
            trimPolicy(p);
        } else if (obj instanceof EgressGateway g) {
            trimGateway(g);
        } else if (obj instanceof EgressNode n && n.getStatus() != null) {
            n.getStatus().conditions = null;
        }
        return obj;
    }

    private static void trimMetadata(HasMetadata obj) {
        ObjectMeta m = obj.getMetadata();
        if (m == null) {
            return;
        }
        ObjectMeta kept = new ObjectMeta();
        kept.setName(intern(m.getName()));
        kept.setNamespace(intern(m.getNamespace()));
        kept.setResourceVersion(m.getResourceVersion());
        kept.setGeneration(m.getGeneration());
        kept.setDeletionTimestamp(m.getDeletionTimestamp());
        Map<String, String> labels = m.getLabels();
        if (obj instanceof EgressEndpointSlice && labels != null && labels.get(Crds.POLICY_LABEL) != null) {
            kept.setLabels(Map.of(Crds.POLICY_LABEL, intern(labels.get(Crds.POLICY_LABEL))));
        } else {
            kept.setLabels(null);
        }
        kept.setAnnotations(null);
        kept.setFinalizers(null);
        kept.setOwnerReferences(null);
        kept.setManagedFields(null);
        obj.setMetadata(kept);
        obj.setApiVersion(intern(obj.getApiVersion()));
    }

    private static void trimSlice(EgressEndpointSlice s) {
        if (s.endpoints == null) {
            return;
        }
        for (EgressEndpointSlice.EndpointEntry e : s.endpoints) {
            e.namespace = intern(e.namespace);
            e.node = intern(e.node);
            e.ipv4 = compact(e.ipv4);
            e.ipv6 = compact(e.ipv6);
        }
        s.endpoints = compact(s.endpoints);
    }

    /**
     * An immutable copy: the parser's lists are ArrayLists with room for ten, 80 bytes for a pod's
     * one address against 24 (and the domain's {@code List.copyOf} then keeps the same list). A list
     * holding a null is left as parsed (the mapping reports it; the store must not throw).
     */
    private static <E> List<E> compact(List<E> values) {
        if (values == null || values.contains(null)) {
            return values;
        }
        return List.copyOf(values);
    }

    private static void trimPolicy(EgressGatewayPolicy p) {
        if (p.getSpec() != null) {
            p.getSpec().egressGatewayName = intern(p.getSpec().egressGatewayName);
        }
        var s = p.getStatus();
        if (s == null) {
            return;
        }
        s.conditions = null;
        s.node = intern(s.node);
        s.nodes = internAll(s.nodes);
        if (s.eip != null) {
            s.eip.ipv4 = intern(s.eip.ipv4);
            s.eip.ipv6 = intern(s.eip.ipv6);
        }
    }

    private static void trimGateway(EgressGateway g) {
        EgressGatewayStatus s = g.getStatus();
        if (s == null) {
            return;
        }
        s.conditions = null;
        s.readyNodes = null;
        s.activeNodes = null;
        if (s.nodeList == null) {
            return;
        }
        for (EgressGatewayStatus.GatewayNodeEntry n : s.nodeList) {
            n.name = intern(n.name);
            if (n.eips == null) {
                continue;
            }
            for (EgressGatewayStatus.EipEntry e : n.eips) {
                e.ipv4 = intern(e.ipv4);
                e.ipv6 = intern(e.ipv6);
                if (e.policies != null) {
                    for (NamedRef r : e.policies) {
                        r.name = intern(r.name);
                    }
                }
            }
        }
    }

    private static List<String> internAll(List<String> values) {
        return values == null ? null : values.stream().map(AgentItems::intern).toList();
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }
}
