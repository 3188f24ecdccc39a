package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.echo.EchoConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Long-lived connections keep the path they started with: across agent restarts (an agent flushes
 * nothing when it starts) and while a higher-priority policy for the same pods and destination is
 * added, edited and removed around them; new connections take the new path.
 *
 * <p>The eviction timeout of 60 s ({@link E2ESupport#settings()}) also keeps stopping the gateway's
 * agent for a restart from failing the policy over: failover is {@link FailoverE2EIT}'s subject.
 */
class LongLivedFlowE2EIT extends E2ESupport {
    private static final Duration ASK = Duration.ofSeconds(5);
    /**
     * A stale route as the agent writes them (protocol static) in a table of its mark range (0x26fe0000)
     * that it never plans: its removal shows that a restarted agent has done a full pass.
     */
    private static final String CANARY_TABLE = Long.toString(0x26fe0000L);
    private static final String CANARY = "203.0.113.7/32";

    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder()
                .pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("shop-2", 1, Map.of("app", "shopping"))
                .build();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void aFlowSurvivesRestartsOfItsNodesAgentAndOfTheGatewaysAgent() throws Exception {
        String carrier = awaitPolicyStatus("shop", "node");
        try (EchoConnection flow = openFlow("shop-1", eip)) {
            int port = flow.request(ASK).port();
            List<String> restarted = List.of("node1", carrier);
            restarted.forEach(cluster::stopAgent);
            assertThat(flow.request(ASK)).as("the flow while the agents are stopped").satisfies(r -> {
                assertThat(r.address()).isEqualTo(eip);
                assertThat(r.port()).isEqualTo(port);
            });
            for (String node : restarted) {
                onNode(node, "ip", "-4", "route", "add", "unreachable", CANARY, "table", CANARY_TABLE,
                        "proto", "static");
                cluster.startAgent(node);
            }
            for (String node : restarted) {
                Waits.until("the restarted agent of " + node + " to finish a pass (canary route removed)", DEADLINE,
                        () -> onNode(node, "ip", "-4", "route", "show", "table", CANARY_TABLE).isBlank());
            }
            assertThat(flow.request(ASK)).as("the flow after the agents' first pass").satisfies(r -> {
                assertThat(r.address()).isEqualTo(eip);
                assertThat(r.port()).isEqualTo(port);
            });
        }
        eventuallySeen("shop-1", eip);
    }

    @Test
    void aFlowKeepsItsPathWhileAHigherPriorityPolicyIsAddedEditedAndRemoved() throws Exception {
        try (EchoConnection before = openFlow("shop-2", eip)) {
            resources.create(policyYaml("shop-first", "shopping", "NodeIP", 10));
            EchoConnection during = null;
            try {
                String nodeIp = testbed.nodeAddress(awaitPolicyStatus("shop-first", "node"));
                eventuallySeen("shop-2", nodeIp);
                assertThat(before.request(ASK).address()).as("the flow opened before the policy was added")
                        .isEqualTo(eip);
                during = openFlow("shop-2", nodeIp);

                setPriority("shop-first", -10);
                eventuallySeen("shop-2", eip);
                assertThat(before.request(ASK).address()).as("the first flow after the edit").isEqualTo(eip);
                assertThat(during.request(ASK).address()).as("the second flow after the edit").isEqualTo(nodeIp);

                setPriority("shop-first", 10);
                eventuallySeen("shop-2", nodeIp);
                resources.delete("EgressGatewayPolicy", "shop-first");
                eventuallySeen("shop-2", eip);
                assertThat(before.request(ASK).address()).as("the first flow after the removal").isEqualTo(eip);
                assertThat(during.request(ASK).address()).as("the second flow after the removal").isEqualTo(nodeIp);
            } finally {
                if (during != null) {
                    during.close();
                }
                resources.delete("EgressGatewayPolicy", "shop-first");
            }
        }
    }

    /** Edits the priority as a user would; retried when the controller's status write raced the edit (409). */
    @SuppressWarnings("unchecked")
    private void setPriority(String policy, int priority) {
        Waits.until("policy " + policy + " to take priority " + priority, DEADLINE, () -> {
            testbed.client().genericKubernetesResources(Resources.kind("EgressGatewayPolicy")).withName(policy)
                    .edit(r -> {
                        ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put("priority", priority);
                        return r;
                    });
            return true;
        });
    }
}
