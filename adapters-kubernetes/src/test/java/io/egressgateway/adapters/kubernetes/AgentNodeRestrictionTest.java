package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/agent-node-restriction.yaml: the agent's identity may write only its own node's EgressNode
 * status and heartbeat Lease, the node taken from the token's node-name extra. The names here are
 * the ones the adapters use (HeartbeatLeases, EgressNode = Node name).
 */
@EnableKubernetesMockClient(crud = true)
class AgentNodeRestrictionTest {
    static final String AGENT = "system:serviceaccount:egressgateway:egressgateway-agent";
    static final String NODE_EXTRA = "authentication.kubernetes.io/node-name";
    KubernetesClient client;
    AdmissionPolicyCel policy;

    @BeforeEach
    void setUp() {
        policy = AdmissionPolicyCel.load(client, "agent-node-restriction.yaml");
    }

    private static Map<String, Object> request(String user, String node, String resource, String sub, String namespace,
                                               String name, String operation) {
        Map<String, Object> userInfo = new HashMap<>();
        userInfo.put("username", user);
        if (node != null) {
            userInfo.put("extra", Map.of(NODE_EXTRA, List.of(node)));
        }
        Map<String, Object> r = new HashMap<>();
        r.put("userInfo", userInfo);
        r.put("resource", Map.of("group", resource.equals("leases") ? "coordination.k8s.io" : "egressgateway.spidernet.io",
                "version", "v1", "resource", resource));
        r.put("subResource", sub);
        r.put("name", name);
        r.put("namespace", namespace);
        r.put("operation", operation);
        return r;
    }

    private static Map<String, Object> lease(String name, String labelNode) {
        return Map.of("metadata", Map.of("name", name, "namespace", "egressgateway",
                "labels", Map.of(HeartbeatLeases.NODE_LABEL, labelNode)));
    }

    private static Map<String, Object> egressNode(String name, Map<String, Object> status) {
        return Map.of("metadata", Map.of("name", name), "status", status);
    }

    private List<String> leaseWrite(String node, String leaseName, String labelNode, String operation) {
        return policy.denials(request(AGENT, node, "leases", "", "egressgateway", leaseName, operation),
                lease(leaseName, labelNode), operation.equals("UPDATE") ? lease(leaseName, labelNode) : null);
    }

    private List<String> statusWrite(String node, String egressNode, Map<String, Object> before,
                                     Map<String, Object> after) {
        return policy.denials(request(AGENT, node, "egressnodes", "status", "", egressNode, "UPDATE"),
                egressNode(egressNode, after), egressNode(egressNode, before));
    }

    @Test
    void theAgentRenewsItsOwnLease() {
        assertThat(leaseWrite("n1", HeartbeatLeases.leaseName("n1"), "n1", "CREATE")).isEmpty();
        assertThat(leaseWrite("n1", HeartbeatLeases.leaseName("n1"), "n1", "UPDATE")).isEmpty();
    }

    @Test
    void theAgentMayNotWriteAnotherNodesLease() {
        assertThat(leaseWrite("n1", HeartbeatLeases.leaseName("n2"), "n2", "UPDATE")).as("and labelled n2")
                .contains("the agent on node n1 may write only Lease egressgateway/egress-node-n1, not "
                        + "egressgateway/egress-node-n2");
        assertThat(leaseWrite("n1", "egressgateway-controller", "n1", "UPDATE")).as("the leader-election Lease")
                .hasSize(1);
        assertThat(leaseWrite("n1", HeartbeatLeases.leaseName("n1"), "n2", "CREATE"))
                .containsExactly("the agent on node n1 may not label its Lease as the heartbeat of another node");
    }

    @Test
    void theAgentWritesItsOwnEgressNodesAgentFields() {
        Map<String, Object> before = Map.of("phase", "Init", "mark", "0x26000003");
        Map<String, Object> after = Map.of("phase", "Init", "mark", "0x26000003", "physicalInterface", "eth0");
        assertThat(statusWrite("n1", "n1", before, after)).isEmpty();
        assertThat(statusWrite("n1", "n1", Map.of(), Map.of("physicalInterface", "eth0"))).as("no status yet")
                .isEmpty();
    }

    @Test
    void theAgentMayNotWriteAnotherNodesEgressNodeNorTheControllersFields() {
        assertThat(statusWrite("n1", "n2", Map.of(), Map.of("physicalInterface", "eth0")))
                .containsExactly("the agent on node n1 may write only EgressNode n1, not n2");
        assertThat(statusWrite("n1", "n1", Map.of("phase", "Init"), Map.of("phase", "Succeeded")))
                .singleElement().asString().startsWith("the agent may not change the controller's EgressNode");
        assertThat(statusWrite("n1", "n1", Map.of("mark", "0x26000003"), Map.of())).as("removing counts too")
                .hasSize(1);
    }

    @Test
    void anAgentTokenWithoutANodeIsDenied() {
        Map<String, Object> req = request(AGENT, null, "leases", "", "egressgateway", "egress-node-n1", "UPDATE");
        assertThat(policy.denials(req, lease("egress-node-n1", "n1"), lease("egress-node-n1", "n1")))
                .first().asString().startsWith("the agent's token names no node");
        req.put("userInfo", Map.of("username", AGENT, "extra", Map.of(NODE_EXTRA, List.of())));
        assertThat(policy.denials(req, lease("egress-node-n1", "n1"), lease("egress-node-n1", "n1")))
                .first().asString().startsWith("the agent's token names no node");
    }

    @Test
    void otherIdentitiesAreNotMatched() {
        Map<String, Object> req = request("system:serviceaccount:egressgateway:egressgateway-controller", null,
                "egressnodes", "status", "", "n2", "UPDATE");
        assertThat(policy.denials(req, egressNode("n2", Map.of("phase", "Succeeded")), egressNode("n2", Map.of())))
                .isNull();
    }

    @Test
    void thePolicyIsBoundAndFailsClosed() {
        assertThat(policy.policy().getSpec().getFailurePolicy()).isEqualTo("Fail");
        assertThat(policy.policy().getSpec().getMatchConstraints().getResourceRules())
                .flatExtracting(r -> r.getResources()).contains("egressnodes/status", "leases");
    }
}
