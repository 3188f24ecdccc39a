package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.RenewHeartbeatPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renews {@code egress-node-<node>}: sets renewTime to now (creating the Lease the first time). */
final class KubernetesHeartbeatAdapter implements RenewHeartbeatPort {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesHeartbeatAdapter.class);
    private final KubernetesClient client;
    private final String namespace;
    private final int leaseSeconds;
    private final Clock clock;

    KubernetesHeartbeatAdapter(KubernetesClient client, String namespace, Duration evictionTimeout, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.leaseSeconds = (int) Math.max(1, (evictionTimeout.toMillis() + 999) / 1000);
        this.clock = clock;
    }

    @Override
    public boolean renew(String nodeName) {
        return renew(nodeName, false);
    }

    @Override
    public boolean renewRestarting(String nodeName) {
        return renew(nodeName, true);
    }

    private boolean renew(String nodeName, boolean restarting) {
        try {
            HeartbeatLeases.modify(client, namespace, nodeName, lease -> {
                HeartbeatLeases.markRestarting(lease, restarting);
                var now = clock.instant().atZone(ZoneOffset.UTC);
                if (lease.getSpec().getAcquireTime() == null) {
                    lease.getSpec().setAcquireTime(now);
                }
                lease.getSpec().setHolderIdentity(nodeName);
                lease.getSpec().setLeaseDurationSeconds(leaseSeconds);
                lease.getSpec().setRenewTime(now);
                return lease;
            });
            return true;
        } catch (RuntimeException e) {
            LOG.warn("heartbeat not renewed node={} lease={}/{}: {}", nodeName, namespace,
                    HeartbeatLeases.leaseName(nodeName), e.toString());
            return false;
        }
    }
}
