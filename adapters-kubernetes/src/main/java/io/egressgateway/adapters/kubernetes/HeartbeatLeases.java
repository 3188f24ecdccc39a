package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The per-node Lease {@code egress-node-<node>}: its renewTime is the agent's heartbeat, and its
 * annotation {@value #PROGRAMMED} carries which policy generations the agent has programmed. Both
 * live here because only the controller watches these Leases; putting them on EgressNodes would
 * wake every agent for every heartbeat (api.md, "Liveness").
 */
final class HeartbeatLeases {
    static final String PREFIX = "egress-node-";
    static final String NODE_LABEL = Crds.GROUP + "/heartbeat-node";
    static final String PROGRAMMED = Crds.GROUP + "/programmed";
    /** Set by a stopping agent's last renewal, cleared by the next renewal (docs/failover.md). */
    static final String RESTARTING = Crds.GROUP + "/restarting";

    private HeartbeatLeases() {
    }

    static String leaseName(String node) {
        return PREFIX + node;
    }

    /** The node a Lease is the heartbeat of, or null for another Lease (leader election, say). */
    static String nodeOf(Lease lease) {
        var labels = lease.getMetadata().getLabels();
        String node = labels == null ? null : labels.get(NODE_LABEL);
        return node != null && lease.getMetadata().getName().equals(leaseName(node)) ? node : null;
    }

    static Instant renewTime(Lease lease) {
        LeaseSpec spec = lease.getSpec();
        if (spec == null) {
            return null;
        }
        if (spec.getRenewTime() != null) {
            return spec.getRenewTime().toInstant();
        }
        return spec.getAcquireTime() == null ? null : spec.getAcquireTime().toInstant();
    }

    /** "shop=3,web=7": policy names are DNS subdomains, so neither separator can occur in them. */
    static String encode(Map<String, Long> programmed) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(programmed).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    static Map<String, Long> decode(String text) {
        Map<String, Long> out = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            int eq = part.lastIndexOf('=');
            if (eq > 0) {
                try {
                    out.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
                } catch (NumberFormatException ignored) {
                    // a hand-edited entry is ignored rather than failing the whole map
                }
            }
        }
        return out;
    }

    static boolean restarting(Lease lease) {
        var ann = lease.getMetadata().getAnnotations();
        return ann != null && "true".equals(ann.get(RESTARTING));
    }

    static void markRestarting(Lease lease, boolean restarting) {
        var ann = lease.getMetadata().getAnnotations();
        if (restarting) {
            if (ann == null) {
                ann = new java.util.HashMap<>();
                lease.getMetadata().setAnnotations(ann);
            }
            ann.put(RESTARTING, "true");
        } else if (ann != null) {
            ann.remove(RESTARTING);
        }
    }

    static Map<String, Long> programmed(Lease lease) {
        var ann = lease.getMetadata().getAnnotations();
        return decode(ann == null ? null : ann.get(PROGRAMMED));
    }

    /**
     * Re-reads the node's Lease, applies {@code change} to a fresh copy (or to a new Lease), and writes
     * it when the change did something; creates the Lease when missing. Retries on 409.
     * Returns true when it wrote.
     */
    static boolean modify(KubernetesClient client, String namespace, String node, UnaryOperator<Lease> change) {
        return Conflicts.retry("lease " + leaseName(node), () -> {
            Resource<Lease> res = client.leases().inNamespace(namespace).withName(leaseName(node));
            Lease current = res.get();
            if (current == null) {
                Lease fresh = new Lease();
                fresh.setMetadata(new ObjectMetaBuilder().withName(leaseName(node)).withNamespace(namespace)
                        .addToLabels(NODE_LABEL, node).build());
                fresh.setSpec(new LeaseSpec());
                fresh.getSpec().setHolderIdentity(node);
                Lease changed = change.apply(fresh);
                // a 409 here means another writer created it meanwhile: Conflicts re-reads
                client.leases().inNamespace(namespace).resource(changed).create();
                return true;
            }
            String before = client.getKubernetesSerialization().asJson(current);
            Lease changed = change.apply(current);
            if (before.equals(client.getKubernetesSerialization().asJson(changed))) {
                return false;
            }
            client.leases().inNamespace(namespace).resource(changed).update();
            return true;
        });
    }
}
