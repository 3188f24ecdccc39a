package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drift: owned kernel objects changed by hand are repaired by the agent's next periodic resync
 * (2 s here), without any change in the API server, and traffic leaves with the EIP again.
 */
class DriftE2EIT extends E2ESupport {
    private static final String MARK_REQUEST = "EGRESSGATEWAY-MARK-REQUEST";

    private String eip;

    /** On legacy iptables (the suite covers both backends, see E2ESupport#backend). */
    @Override
    IptablesBackend backend() {
        return IptablesBackend.LEGACY;
    }

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(super.settings());
        s.put("EGW_AGENT_RESYNCINTERVAL", "2s");
        return s;
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void aFlushedRequestChainIsRepairedByTheNextResync() {
        eventuallySeen("shop-1", eip);
        // A pass that also follows a new plan for the chain (a gateway's pins becoming valid while the
        // cluster settles) is a change of plan, not drift: flush only once node1's plan is steady.
        Waits.until("node1's agent to apply nothing for three resync intervals", DEADLINE, () -> quietFor("node1", 6_000));
        int before = rulesOf("node1", MARK_REQUEST);
        assertThat(before).as("rules in %s on node1 before the flush", MARK_REQUEST).isPositive();

        onNode("node1", iptables(), "-t", "mangle", "-F", MARK_REQUEST);

        // The flush succeeded (exec fails otherwise), so the rules coming back is the agent's repair.
        // Not "the same count as before": the valid-pin restore rules follow the gateways' readiness.
        Waits.until(MARK_REQUEST + " on node1 to steer policy shop again", DEADLINE,
                () -> iptablesSave("node1").lines().anyMatch(l -> l.startsWith("-A " + MARK_REQUEST + " ")
                        && l.contains("--match-set egress-src-v4-")));
        // Whichever pass repaired it counts it as drift (the chain is planned as it was last applied).
        Waits.until("node1's agent to log the repair as drift", DEADLINE,
                () -> agentLog("node1").lines().anyMatch(l -> l.contains("node=node1 drift repaired: ") && l.contains(MARK_REQUEST)));
        eventuallySeen("shop-1", eip);
    }

    @Test
    void aDeletedIpRuleIsRepairedByTheNextResync() {
        eventuallySeen("shop-1", eip);
        String[] table = new String[1];
        Waits.until("an ip rule at priority 99 on node1 to be deleted by hand", DEADLINE, () -> {
            String rule = onNode("node1", "ip", "-4", "rule", "show").lines().filter(l -> l.startsWith("99:"))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("node1 has no ip rule at priority 99"));
            String[] words = rule.substring(3).trim().split("\\s+");
            table[0] = words[words.length - 1];
            return testbed.tryExec(testbed.nodeNetns("node1"), List.of("ip", "-4", "rule", "del", "priority", "99",
                    "table", table[0])).ok();
        });

        Waits.until("the ip rule for table " + table[0] + " on node1 to be back", DEADLINE,
                () -> onNode("node1", "ip", "-4", "rule", "show").lines().anyMatch(l -> l.startsWith("99:")
                        && l.strip().endsWith("lookup " + table[0])));
        eventuallySeen("shop-1", eip);
    }

    private String agentLog(String node) {
        try {
            return Files.readString(cluster.agent(node).logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the agent of {@code node} has logged no applied pass for {@code millis}. */
    private boolean quietFor(String node, long millis) {
        String last = agentLog(node).lines().filter(l -> l.contains("node=" + node + " applied="))
                .reduce((a, b) -> b).orElse(null);
        if (last == null) {
            return false;
        }
        Instant at = OffsetDateTime.parse(last.substring(0, last.indexOf(" "))).toInstant();
        return Duration.between(at, Instant.now()).toMillis() > millis;
    }

    private int rulesOf(String node, String chain) {
        return (int) iptablesSave(node).lines().filter(l -> l.startsWith("-A " + chain + " ")).count();
    }
}
