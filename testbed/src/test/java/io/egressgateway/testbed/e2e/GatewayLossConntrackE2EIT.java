package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.echo.EchoConnection;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The loss of a gateway moves the connections pinned to it (spec/datapath.md, "Established flows keep
 * their path"): when the gateway node carrying the EIP fails (agent stopped, underlay cut, default 5 s
 * eviction, as in {@link FailoverE2EIT}), the source node's agent deletes the conntrack entries pinned
 * to that gateway's mark, and nothing else: not a gateway's reply tag for the same peer, not another
 * component's marks.
 *
 * <p>What happens to the long-lived connection itself: its next packet is tracked anew, decided for
 * the surviving gateway and SNATed there to the same EIP, but with a new random source port
 * ({@code --random-fully}) that the server has never seen, so the server resets it. The test asserts
 * that it does not continue; with one chance in ~64,000 the new port equals the old one and the
 * connection would survive (then the test fails: run it again).
 */
class GatewayLossConntrackE2EIT extends ShopPolicyE2E {
    private static final Duration ASK = Duration.ofSeconds(5);
    /** The owned bits of the default mark layout (~mark.reservedMask 0x0000dff0). */
    private static final long OWNED = 0xffff200fL;
    /** A source node: the pod's node, never a gateway (gateways are node2 and node3). */
    private static final String SOURCE = "node1";


    @Override
    Map<String, String> settings() {
        return Map.of(); // the default 5 s eviction: gateway loss is the subject
    }

    @Test
    void theSourceNodeDeletesTheConnectionsPinnedToTheLostGatewayAndNothingElse() throws Exception {
        // With the 5 s eviction a busy machine can fail a gateway over while the cluster starts (the
        // agent then rightly deletes the pins of that loss): start from a steady cluster.
        Waits.until("every EgressNode Succeeded and both gateway nodes Ready", DEADLINE, this::steady);
        String pod = testbed.pod("shop-1").ipv4();
        try (EchoConnection flow = openFlow("shop-1", eip)) {
            int port = flow.local().port();
            // The flow's own pin names its gateway: the policy status may already be moving on.
            long mark = pinOf(port);
            String lost = nodeWithMark(mark);
            String pinned = Marks.hex(mark) + "/" + Marks.hex(OWNED);
            // Entries the deletion must leave alone: the reply tag of the same peer (the flag bit set, as a
            // gateway stores it) and a kube-proxy mark; one it must take: a pin carrying a foreign bit too.
            insert(20001, mark ^ 0x01000000L);
            insert(20002, 0x4000L);
            insert(20003, mark | 0x4000L);
            assertThat(listed(pinned)).as("%s's conntrack pinned to %s (%s)", SOURCE, lost, pinned)
                    .contains("src=" + pod + " dst=" + testbed.externalAddress() + " sport=" + port + " ")
                    .contains("sport=20003 ");

            cluster.killAgent(lost); // a lost node's agent gets no SIGTERM (which would say "restarting")
            testbed.setUnderlayLink(lost, false);
            Waits.until("shop-1 to leave with " + eip + " again after " + lost + " failed", DEADLINE,
                    () -> eip.equals(testbed.pod("shop-1").request(testbed.externalAddress(), testbed.echoPort(),
                            Duration.ofSeconds(1)).address()));
            Waits.until(SOURCE + "'s conntrack entries pinned to " + lost + " (" + pinned + ") to be deleted", DEADLINE,
                    () -> !listed(pinned).contains("src="));

            String all = onNode(SOURCE, "conntrack", "-L", "-f", "ipv4");
            assertThat(all).as("entries of other meanings are kept").contains("sport=20001 ", "sport=20002 ");
            String log = Files.readString(cluster.agent(SOURCE).logFile());
            assertThat(log).as("%s's agent log", SOURCE).containsPattern(
                    "node=" + SOURCE + " mark=" + Marks.hex(mark) + " family=v4 deleted=[1-9]");

            Throwable next = catchThrowable(() -> flow.request(ASK));
            System.out.println("OBSERVED e2e.gateway_loss.long_lived_flow: " + (next == null ? "answered" : next));
            assertThat(next).as("the long-lived flow after its gateway was lost (SNATed anew on the other gateway"
                    + " with a new source port, so the server resets it)").isNotNull();
        }
    }

    private boolean steady() {
        boolean nodes = resources.list("EgressNode").stream()
                .allMatch(n -> "Succeeded".equals(Resources.status(n, "phase")));
        Object list = Resources.status(resources.get("EgressGateway", "default"), "nodeList");
        boolean gateways = list instanceof List<?> l && l.size() == 2
                && l.stream().allMatch(n -> n instanceof Map<?, ?> m && "Ready".equals(m.get("status")));
        return nodes && gateways;
    }

    /** The connmark of the source node's entry for the pod's connection from {@code port}. */
    private long pinOf(int port) {
        String entry = onNode(SOURCE, "conntrack", "-L", "-f", "ipv4", "-p", "tcp", "--sport", Integer.toString(port));
        Matcher m = Pattern.compile("mark=(\\d+)").matcher(entry);
        assertThat(m.find()).as("%s's conntrack entry of the flow from port %d: %s", SOURCE, port, entry).isTrue();
        return Long.parseLong(m.group(1));
    }

    private String nodeWithMark(long mark) {
        return resources.list("EgressNode").stream()
                .filter(n -> mark == Marks.parse(String.valueOf(Resources.status(n, "mark"))))
                .map(n -> n.getMetadata().getName()).findFirst()
                .orElseThrow(() -> new AssertionError("no EgressNode has the flow's mark " + Marks.hex(mark)));
    }

    /** A UDP entry in the source node's conntrack with {@code connmark}, between documentation addresses. */
    private void insert(int sport, long connmark) {
        onNode(SOURCE, "conntrack", "-I", "-p", "udp", "-s", "203.0.113.1", "-d", "203.0.113.2", "--sport",
                Integer.toString(sport), "--dport", "9", "--timeout", "600", "--mark", Marks.hex(connmark));
    }

    private String listed(String markAndMask) {
        return onNode(SOURCE, "conntrack", "-L", "-f", "ipv4", "--mark", markAndMask);
    }
}
