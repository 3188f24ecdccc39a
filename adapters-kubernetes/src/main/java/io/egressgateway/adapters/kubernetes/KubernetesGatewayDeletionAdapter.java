package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.application.port.out.HoldGatewayDeletionPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** The finalizer {@value Crds#GATEWAY_FINALIZER} on EgressGateways, written with update after a re-read. */
final class KubernetesGatewayDeletionAdapter implements HoldGatewayDeletionPort {
    private final KubernetesClient client;

    KubernetesGatewayDeletionAdapter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean hold(String gateway) {
        return change(gateway, true);
    }

    @Override
    public boolean release(String gateway) {
        return change(gateway, false);
    }

    private boolean change(String gateway, boolean present) {
        return Conflicts.retry("egressgateway " + gateway, () -> {
            EgressGateway gw = client.resources(EgressGateway.class).withName(gateway).get();
            if (gw == null) {
                return false;
            }
            List<String> fin = gw.getMetadata().getFinalizers() == null ? new ArrayList<>()
                    : new ArrayList<>(gw.getMetadata().getFinalizers());
            if (fin.contains(Crds.GATEWAY_FINALIZER) == present) {
                return false;
            }
            if (present) {
                if (gw.getMetadata().getDeletionTimestamp() != null) {
                    return false; // finalizers cannot be added to an object being deleted
                }
                fin.add(Crds.GATEWAY_FINALIZER);
            } else {
                fin.remove(Crds.GATEWAY_FINALIZER);
            }
            gw.getMetadata().setFinalizers(fin);
            client.resources(EgressGateway.class).resource(gw).update();
            return true;
        });
    }
}
