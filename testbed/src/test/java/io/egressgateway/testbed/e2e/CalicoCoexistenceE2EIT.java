package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Beside Calico's Felix in its default Insert mode, with {@code iptables.chainInsertMode=Append}.
 *
 * <p>On every node a Felix-like loop owns the pod network's masquerade (the testbed's CNI rule is
 * removed): chain {@code FELIX-POSTROUTING} does what Felix's {@code cali-nat-outgoing} does, source
 * in a natOutgoing pool and destination in no pool -> MASQUERADE, and the loop puts its jump back at
 * the top of {@code nat POSTROUTING} every second. The policy's destination is covered by a
 * disabled pool, Calico's documented way to exempt a destination from natOutgoing (and a disabled
 * pool is not a pod network to the product, see ClusterNetworkSources). So the foreign MASQUERADE,
 * first in the chain, lets the policy's traffic through to our rules appended below it, and a
 * selected pod still leaves with the EIP; the agents never move their jumps for the loop, so no
 * drift is counted over a minute while the loop keeps re-inserting.
 *
 * <p>{@link CalicoCoexistenceInsertModeE2EIT} runs the same cluster in the default Insert mode: the
 * agents then move their jumps back above the loop's, but only a bounded number of times (the
 * windows of JumpPlacement), each logged naming the loop's rule, and traffic is unaffected.
 */
class CalicoCoexistenceE2EIT extends E2ESupport {
    static final String POD_POOL = "10.244.0.0/16";
    /** The policy's destination and the "disabled pool" that keeps natOutgoing away from it. */
    static final String DISABLED_POOL = "198.51.100.0/24";
    static final String FELIX_CHAIN = "FELIX-POSTROUTING";
    static final String FELIX_JUMP = "-m comment --comment felix-like -j " + FELIX_CHAIN;

    private final AtomicInteger reinserted = new AtomicInteger();
    private final AtomicReference<String> loopFailure = new AtomicReference<>();
    private ScheduledExecutorService felix;
    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other")).build();
    }

    /** {@code iptables.chainInsertMode} of the agents. */
    String mode() {
        return "Append";
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(super.settings());
        s.put("EGW_IPTABLES_CHAININSERTMODE", mode());
        // a resync every 2 s: an agent that minded the foreign jump would move its own 30 times a minute
        s.put("EGW_AGENT_RESYNCINTERVAL", "2s");
        return s;
    }

    @Override
    void setUp() {
        for (String node : testbed.nodeNames()) {
            onNode(node, iptables(), "-w", "-t", "nat", "-D", "POSTROUTING", "-s", POD_POOL, "!", "-d", POD_POOL,
                    "-j", "MASQUERADE");
            onNode(node, iptables(), "-w", "-t", "nat", "-N", FELIX_CHAIN);
            onNode(node, iptables(), "-w", "-t", "nat", "-A", FELIX_CHAIN, "-d", POD_POOL, "-j", "RETURN");
            onNode(node, iptables(), "-w", "-t", "nat", "-A", FELIX_CHAIN, "-d", DISABLED_POOL, "-j", "RETURN");
            onNode(node, iptables(), "-w", "-t", "nat", "-A", FELIX_CHAIN, "-s", POD_POOL, "-j", "MASQUERADE");
            onNode(node, iptables(), "-w", "-t", "nat", "-I", "POSTROUTING", "1", "-m", "comment", "--comment",
                    "felix-like", "-j", FELIX_CHAIN);
        }
        felix = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "felix-like");
            t.setDaemon(true);
            return t;
        });
        felix.scheduleWithFixedDelay(this::felixPass, 1, 1, TimeUnit.SECONDS);
        createExampleGateway();
        resources.create("""
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata:
                  name: shop
                spec:
                  egressGatewayName: default
                  appliedTo:
                    podSelector:
                      matchLabels:
                        app: shopping
                  destCIDR:
                  - %s
                """.formatted(DISABLED_POOL));
        eip = awaitPolicyStatus("shop", "eip", "ipv4");
    }

    /** Felix's refresh: our jump back at the top, in one atomic restore per node (delete, insert). */
    private void felixPass() {
        String restore = testbed.options().backend().iptables(false) + "-restore";
        for (String node : testbed.nodeNames()) {
            String text = "*nat\n-D POSTROUTING " + FELIX_JUMP + "\n-I POSTROUTING 1 " + FELIX_JUMP + "\nCOMMIT\n";
            try {
                Process p = new ProcessBuilder(ProcessRunner.inNetns(testbed.nodeNetns(node),
                        List.of(restore, "-w", "--noflush"))).redirectErrorStream(true).start();
                p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    loopFailure.compareAndSet(null, node + ": " + out);
                } else {
                    reinserted.incrementAndGet();
                }
            } catch (IOException | InterruptedException e) {
                loopFailure.compareAndSet(null, node + ": " + e);
            }
        }
    }

    @AfterAll
    void stopFelix() {
        if (felix != null) {
            felix.shutdownNow();
        }
    }

    @Test
    void selectedPodsLeaveWithTheEipAndNoAgentFightsTheForeignJump() {
        Waits.until("shop-1 -> " + testbed.externalExtraAddress() + " seen from the EIP", DEADLINE,
                () -> eip.equals(seenFrom("shop-1", testbed.externalExtraAddress())));
        // the foreign MASQUERADE is live and first: an unselected pod to a destination outside every pool
        // leaves with its node's address
        assertThat(seenFrom("other-1", testbed.externalAddress())).isEqualTo(testbed.nodeAddress("node1"));
        Map<String, Integer> driftBefore = driftLines();
        // log lines start with an ISO-8601 time: those at or after this one are the minute's
        String minuteStart = java.time.OffsetDateTime.now().toString().substring(0, 19);
        int loopBefore = reinserted.get();
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        List<String> seen = new ArrayList<>();
        while (Instant.now().isBefore(end)) {
            seen.add(seenFrom("shop-1", testbed.externalExtraAddress()));
            // one new connection per pass of the Felix-like loop over every node
            int after = reinserted.get() + testbed.nodeNames().size();
            Waits.until("the Felix-like loop to put its jumps back once more", DEADLINE, Duration.ofMillis(100),
                    () -> reinserted.get() >= after || loopFailure.get() != null);
        }
        assertThat(loopFailure.get()).as("the Felix-like loop's failures").isNull();
        assertThat(reinserted.get() - loopBefore).as("re-insertions by the Felix-like loop in the minute")
                .isGreaterThanOrEqualTo(testbed.nodeNames().size() * 30);
        assertThat(seen).as("what the external host saw from shop-1 during the minute").containsOnly(eip);
        if (mode().equals("Append")) {
            for (String node : testbed.nodeNames()) {
                assertThat(onNode(node, iptables(), "-w", "-t", "nat", "-S", "POSTROUTING").lines().skip(1).findFirst()
                        .orElse("")).as("first rule of nat POSTROUTING on %s", node).contains(FELIX_CHAIN);
                assertThat(agentLog(node)).as("agent of %s", node).doesNotContain("another component put");
            }
            assertThat(driftLines()).as("drift repaired per agent, a minute later").isEqualTo(driftBefore);
            return;
        }
        // Insert: every agent was displaced (the loop runs on every node) and moved back, naming the loop's
        // rule, but within the minute at most once per window of 5, 10, 20, 40 s: 4 moves
        for (String node : testbed.nodeNames()) {
            List<String> moves = agentLog(node).lines().filter(l -> l.contains("another component put")
                    && l.contains("chain=nat/POSTROUTING") && l.contains("felix-like")).toList();
            assertThat(moves).as("moves by the agent of %s", node).isNotEmpty();
            assertThat(moves.stream().filter(l -> l.compareTo(minuteStart) >= 0).count())
                    .as("moves by the agent of %s within the minute", node).isLessThanOrEqualTo(4);
        }
    }

    private Map<String, Integer> driftLines() {
        Map<String, Integer> out = new HashMap<>();
        for (String node : testbed.nodeNames()) {
            out.put(node, (int) agentLog(node).lines().filter(l -> l.contains(" drift repaired: ")).count());
        }
        return out;
    }

    private String agentLog(String node) {
        try {
            return Files.readString(cluster.agent(node).logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
