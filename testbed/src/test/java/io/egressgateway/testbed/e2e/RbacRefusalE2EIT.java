package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.kube.Identities;
import io.egressgateway.testbed.kube.Kubeconfigs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, shown by the real API server's refusals: an agent's own identity (its
 * service-account token, bound to its Pod on node1) cannot write what only users and the controller
 * write, and with deploy/agent-node-restriction.yaml cannot write another node's EgressNode status or
 * heartbeat Lease, while its own stay writable.
 */
class RbacRefusalE2EIT extends E2ESupport {
    private KubernetesClient agent;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    void setUp() {
        createExamplePolicy();
        // the agents have started once each renewed its Lease (setUp above needs only the controller)
        for (String node : testbed.nodeNames()) {
            io.egressgateway.testbed.cluster.Waits.until("node " + node + "'s agent to renew its Lease", DEADLINE,
                    () -> testbed.client().leases().inNamespace(Identities.NAMESPACE).withName("egress-node-" + node)
                            .get() != null);
        }
        agent = Kubeconfigs.client(testbed.controlPlane().identities().agent("node1", testbed.apiServerUrl()));
    }

    @AfterAll
    void closeClient() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void anAgentCannotCreateOrChangeAPolicy() {
        GenericKubernetesResource p = agent.getKubernetesSerialization().unmarshal(
                policyYaml("sneaky", "shopping", "EgressIP", 10), GenericKubernetesResource.class);
        assertForbidden(() -> agent.genericKubernetesResources(Resources.kind("EgressGatewayPolicy")).resource(p).create());
        assertForbidden(() -> agent.genericKubernetesResources(Resources.kind("EgressGatewayPolicy")).withName("shop")
                .edit(o -> {
                    o.getMetadata().setLabels(Map.of("tampered", "yes"));
                    return o;
                }));
        assertThat(resources.get("EgressGatewayPolicy", "shop").getMetadata().getLabels()).doesNotContainKey("tampered");
    }

    @Test
    void anAgentCannotChangeAGateway() {
        assertForbidden(() -> agent.genericKubernetesResources(Resources.kind("EgressGateway")).withName("default")
                .edit(o -> {
                    o.getMetadata().setLabels(Map.of("tampered", "yes"));
                    return o;
                }));
        assertForbidden(() -> agent.genericKubernetesResources(Resources.kind("EgressGateway")).withName("default").delete());
    }

    @Test
    void anAgentWritesItsOwnNodesStatusAndLeaseButNotAnotherNodes() {
        assertThat(ProjectPaths.find("deploy/agent-node-restriction.yaml")).as("the node-restriction policy").isNotNull();
        // its own: allowed (this is what the agent does every few seconds)
        touchStatus("node1");
        renewLease("node1");
        // another node's: refused by the ValidatingAdmissionPolicy, naming the node the token is bound to
        KubernetesClientException status = assertForbidden(() -> touchStatus("node2"));
        assertThat(status.getMessage()).contains("node1");
        assertForbidden(() -> renewLease("node2"));
    }

    /** An update of the status subresource, the verb the agent's RBAC grants (as the agent writes it). */
    private void touchStatus(String node) {
        againOnConflict(() -> {
            GenericKubernetesResource n = agent.genericKubernetesResources(Resources.kind("EgressNode")).withName(node).get();
            agent.genericKubernetesResources(Resources.kind("EgressNode")).resource(n).updateStatus();
        });
    }

    /** Get and update, as the agent renews. */
    private void renewLease(String node) {
        againOnConflict(() -> {
            Lease l = agent.leases().inNamespace(Identities.NAMESPACE).withName("egress-node-" + node).get();
            assertThat(l).as("Lease egress-node-%s as the agent reads it", node).isNotNull();
            l.getSpec().setRenewTime(ZonedDateTime.now());
            agent.leases().inNamespace(Identities.NAMESPACE).resource(l).update();
        });
    }

    /** A read-modify-write again after a 409: the object's own agent writes it too (a Lease every second). */
    private static void againOnConflict(Runnable write) {
        for (int attempt = 1;; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static KubernetesClientException assertForbidden(Runnable write) {
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, write::run);
        assertThat(e).as("the write was accepted").isNotNull();
        assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
        return e;
    }
}
