package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.crd.EgressNodeStatus;
import io.egressgateway.adapters.kubernetes.mapping.CrMapping;
import io.egressgateway.application.port.out.UpdateEgressNodesPort;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;

/** The controller's EgressNode writes: create with finalizer, controller status fields, release. */
final class KubernetesEgressNodesAdapter implements UpdateEgressNodesPort {
    private final KubernetesClient client;

    KubernetesEgressNodesAdapter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean create(String name) {
        if (client.resources(EgressNode.class).withName(name).get() != null) {
            return false;
        }
        EgressNode n = new EgressNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).addToFinalizers(Crds.NODE_FINALIZER).build());
        try {
            // a real API server drops status on create: the phase goes through the status subresource
            client.resources(EgressNode.class).resource(n).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false; // another writer (a previous leader) created it
            }
            throw e;
        }
        // the node's agent may write its fields between the two requests: re-read on 409
        Conflicts.retry("egressnode " + name, () -> {
            EgressNode current = client.resources(EgressNode.class).withName(name).get();
            if (current == null || current.getStatus() != null && current.getStatus().phase != null) {
                return false;
            }
            EgressNodeStatus s = current.getStatus() == null ? new EgressNodeStatus() : current.getStatus();
            s.phase = "Pending";
            current.setStatus(s);
            client.resources(EgressNode.class).resource(current).updateStatus();
            return true;
        });
        return true;
    }

    @Override
    public boolean writeStatus(io.egressgateway.domain.model.EgressNode desired) {
        return Conflicts.retry("egressnode " + desired.name(), () -> {
            EgressNode current = client.resources(EgressNode.class).withName(desired.name()).get();
            if (current == null) {
                return false;
            }
            EgressNodeStatus status = current.getStatus() == null ? new EgressNodeStatus() : current.getStatus();
            String before = client.getKubernetesSerialization().asJson(status);
            CrMapping.controllerFields(status, desired);
            if (before.equals(client.getKubernetesSerialization().asJson(status))) {
                return false;
            }
            current.setStatus(status);
            client.resources(EgressNode.class).resource(current).updateStatus();
            return true;
        });
    }

    @Override
    public boolean release(String name) {
        return Conflicts.retry("egressnode " + name, () -> {
            EgressNode current = client.resources(EgressNode.class).withName(name).get();
            if (current == null) {
                return false;
            }
            var fin = current.getMetadata().getFinalizers();
            if (fin != null && fin.contains(Crds.NODE_FINALIZER)) {
                var rest = new ArrayList<>(fin);
                rest.remove(Crds.NODE_FINALIZER);
                current.getMetadata().setFinalizers(rest);
                current = client.resources(EgressNode.class).resource(current).update();
            }
            if (current != null && current.getMetadata().getDeletionTimestamp() == null) {
                client.resources(EgressNode.class).withName(name).delete();
            }
            return true;
        });
    }
}
