package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Waits;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drift: owned kernel objects changed by hand are repaired by the agent's next periodic resync
 * (2 s here), without any change in the API server, and traffic leaves with the EIP again.
 */
class DriftE2EIT extends E2ESupport {
    private static final String MARK_REQUEST = "EGRESSGATEWAY-MARK-REQUEST";

    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    Map<String, String> settings() {
        return Map.of("EGW_AGENT_RESYNCINTERVAL", "2s");
    }

    @Override
    void setUp() {
        createExampleGateway();
        resources.create(ProjectPaths.find("deploy/examples/policy.yaml"));
        eip = awaitPolicyStatus("shop", "eip", "ipv4");
    }

    @Test
    void aFlushedRequestChainIsRepairedByTheNextResync() {
        eventuallySeen("shop-1", eip);
        int before = rulesOf("node1", MARK_REQUEST);
        assertThat(before).as("rules in %s on node1 before the flush", MARK_REQUEST).isPositive();

        onNode("node1", iptables(), "-t", "mangle", "-F", MARK_REQUEST);

        Waits.until("node1's agent to report the repair", DEADLINE,
                () -> cluster.agent("node1").logTail(400).contains("node=node1 drift repaired"));
        Waits.until(MARK_REQUEST + " on node1 to have its rules again", DEADLINE,
                () -> rulesOf("node1", MARK_REQUEST) == before);
        eventuallySeen("shop-1", eip);
    }

    @Test
    void aDeletedIpRuleIsRepairedByTheNextResync() {
        eventuallySeen("shop-1", eip);
        String rule = onNode("node1", "ip", "-4", "rule", "show").lines().filter(l -> l.startsWith("99:"))
                .findFirst().orElseThrow(() -> new AssertionError("node1 has no ip rule at priority 99"));
        String[] words = rule.substring(3).trim().split("\\s+");
        String table = words[words.length - 1];

        onNode("node1", "ip", "-4", "rule", "del", "priority", "99", "table", table);

        Waits.until("the ip rule for table " + table + " on node1 to be back", DEADLINE,
                () -> onNode("node1", "ip", "-4", "rule", "show").lines().anyMatch(l -> l.startsWith("99:")
                        && l.endsWith("lookup " + table)));
        eventuallySeen("shop-1", eip);
    }

    private int rulesOf(String node, String chain) {
        return (int) iptablesSave(node).lines().filter(l -> l.startsWith("-A " + chain + " ")).count();
    }
}
