package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.testbed.TestbedOptions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Selected pods' traffic passes the node's other FORWARD rules as unselected traffic does
 * (docs/datapath.md, "Trust boundaries"): a foreign chain in node1's filter FORWARD that drops one
 * selected pod's packets, as a CNI's NetworkPolicy chain would, still drops them with the policy in
 * place (its counter proves the packets reached it), while the other selected pod on the same node
 * still leaves with the EIP; once the foreign chain is gone the first pod leaves with the EIP too.
 */
class ForwardPolicyE2EIT extends E2ESupport {
    private static final String CHAIN = "NETPOL-TEST";
    private static final Pattern COUNT = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP");
    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("shop-2", 1, Map.of("app", "shopping")).build();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void aForeignForwardRuleStillDropsASelectedPodsTraffic() {
        eventuallySeen("shop-1", eip);
        eventuallySeen("shop-2", eip);
        String blocked = testbed.pod("shop-2").ipv4();
        // appended, after every rule of ours: where a CNI's policy chain or a host firewall sits
        onNode("node1", iptables(), "-w", "-N", CHAIN);
        onNode("node1", iptables(), "-w", "-A", CHAIN, "-s", blocked + "/32", "-j", "DROP");
        onNode("node1", iptables(), "-w", "-A", "FORWARD", "-j", CHAIN);
        try {
            long before = drops();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> testbed.pod("shop-2").request(testbed.externalAddress(), testbed.echoPort(),
                        Duration.ofSeconds(2))).as("shop-2's attempt %d", i).isInstanceOf(Exception.class);
            }
            assertThat(drops()).as("packets dropped by the foreign rule").isGreaterThan(before);
            eventuallySeen("shop-1", eip);
        } finally {
            onNode("node1", iptables(), "-w", "-D", "FORWARD", "-j", CHAIN);
            onNode("node1", iptables(), "-w", "-F", CHAIN);
            onNode("node1", iptables(), "-w", "-X", CHAIN);
        }
        eventuallySeen("shop-2", eip);
    }

    private long drops() {
        String out = onNode("node1", iptables(), "-w", "-L", CHAIN, "-v", "-x", "-n");
        for (String line : out.lines().toList()) {
            Matcher m = COUNT.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no DROP rule in " + CHAIN + ":\n" + out);
    }
}
