package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.crd.EgressNodeStatus;
import io.egressgateway.adapters.kubernetes.mapping.CrMapping;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.application.port.out.UpdateOwnEgressNodePort;
import io.egressgateway.domain.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's writes about its own node: the agent-owned EgressNode status fields (re-read, changed,
 * written only when different, retried on 409) and the programmed generations on the node's Lease.
 * The controller's fields of the same status are carried over untouched.
 */
final class KubernetesOwnEgressNodeAdapter implements UpdateOwnEgressNodePort {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesOwnEgressNodeAdapter.class);
    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    KubernetesOwnEgressNodeAdapter(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public boolean update(String nodeName, AgentNodeReport report) {
        boolean wrote = writeStatus(nodeName, report);
        String programmed = HeartbeatLeases.encode(report.programmed());
        wrote |= HeartbeatLeases.modify(client, namespace, nodeName, lease -> {
            var annotations = lease.getMetadata().getAnnotations() == null ? new java.util.HashMap<String, String>()
                    : new java.util.HashMap<>(lease.getMetadata().getAnnotations());
            if (!programmed.equals(Objects.requireNonNullElse(annotations.get(HeartbeatLeases.PROGRAMMED), ""))) {
                annotations.put(HeartbeatLeases.PROGRAMMED, programmed);
                lease.getMetadata().setAnnotations(annotations);
            }
            return lease;
        });
        return wrote;
    }

    private boolean writeStatus(String nodeName, AgentNodeReport report) {
        return Conflicts.retry("egressnode " + nodeName, () -> {
            var res = client.resources(EgressNode.class).withName(nodeName);
            EgressNode current = res.get();
            if (current == null) {
                LOG.info("egressnode={} does not exist yet (the controller creates it); agent fields not written",
                        nodeName);
                return false;
            }
            EgressNodeStatus status = current.getStatus() == null ? new EgressNodeStatus() : current.getStatus();
            String before = client.getKubernetesSerialization().asJson(status);
            status.physicalInterface = report.physicalInterface();
            status.physicalInterfaceIPv4 = report.physicalInterfaceIPv4();
            status.physicalInterfaceIPv6 = report.physicalInterfaceIPv6();
            status.interfaces = report.interfaces().isEmpty() ? null : CrMapping.interfaces(report.interfaces());
            status.conditions = CrMapping.mergeConditions(status.conditions, List.of(tunnelReady(status, report,
                    current.getMetadata().getGeneration())), true);
            if (before.equals(client.getKubernetesSerialization().asJson(status))) {
                return false;
            }
            current.setStatus(status);
            client.resources(EgressNode.class).resource(current).updateStatus();
            LOG.info("egressnode={} agent fields written tunnelReady={} parent={}", nodeName, report.tunnelReady(),
                    report.physicalInterface());
            return true;
        });
    }

    /** TunnelReady keeps its lastTransitionTime unless its status flips. */
    private Condition tunnelReady(EgressNodeStatus status, AgentNodeReport report, Long generation) {
        Condition.Status now = report.tunnelReady() ? Condition.Status.True : Condition.Status.False;
        Instant since = clock.instant();
        for (var c : io.egressgateway.adapters.kubernetes.mapping.Values.conditions(status.conditions)) {
            if (CrMapping.TUNNEL_READY.equals(c.type()) && c.status() == now && c.lastTransitionTime() != null) {
                since = c.lastTransitionTime();
            }
        }
        String reason = report.tunnelReason() == null || report.tunnelReason().isEmpty()
                ? (report.tunnelReady() ? "TunnelBuilt" : "TunnelNotBuilt") : report.tunnelReason();
        String message = report.tunnelMessage() == null ? "" : report.tunnelMessage();
        return new Condition(CrMapping.TUNNEL_READY, now, reason, message, generation == null ? 0 : generation, since);
    }
}
