package io.egressgateway.application.agent;

import static io.egressgateway.application.agent.AgentFixtures.FACTS;
import static io.egressgateway.application.agent.AgentFixtures.policy;
import static io.egressgateway.application.agent.AgentFixtures.slice;
import static io.egressgateway.application.agent.AgentFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.in.ReconcileNodeDatapathUseCase.PassResult;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.plan.PendingPins;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent deletes a lost gateway's pinned connections after the apply, and only those. */
class LostGatewayConnectionsTest {
    private static final long GW_A = 0x26010000L;
    private static final long GW_B = 0x26020000L;

    private final InMemoryKernel kernel = new InMemoryKernel();
    private final InMemoryConntrack conntrack = new InMemoryConntrack(kernel::contents);
    private final AgentFixtures.FakeWatch watch = new AgentFixtures.FakeWatch();
    private final AgentFixtures.ToyPlanning planning = new AgentFixtures.ToyPlanning();
    private final AgentStats stats = new AgentStats();
    private final NodeDatapathReconciler reconciler = new NodeDatapathReconciler("node1", watch, () -> FACTS,
            kernel, kernel, conntrack, new AgentFixtures.RecordingReport(), planning, () -> false, stats);

    @BeforeEach
    void twoGatewaysAndTheirConnections() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        planning.gatewayMarks.set(List.of(GW_A, GW_B));
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        conntrack.add(Family.IPV4, GW_A, 2);
        conntrack.add(Family.IPV4, GW_A | 0x80, 1);         // pinned to A, plus another component's bit
        conntrack.add(Family.IPV4, GW_B, 1);
        conntrack.add(Family.IPV4, GW_A ^ 0x01000000L, 1);  // a reply tag for peer A (this node is a gateway too)
        conntrack.add(Family.IPV4, 0x4000L, 1);             // kube-proxy's mark
        conntrack.add(Family.IPV6, GW_A, 1);                // the other family is not lost
    }

    @Test
    void theLostGatewaysPinnedConnectionsAreDeletedOnceItsRuleIsGone() {
        planning.gatewayMarks.set(List.of(GW_B));
        PassResult r = reconciler.reconcile(false);

        assertThat(r.ok()).isTrue();
        assertThat(conntrack.deletes).containsExactly(new ConnectionPin(Family.IPV4, GW_A, 0xffff0000L));
        assertThat(conntrack.rulesAtDelete).as("ip rules the kernel held when the entries were deleted")
                .containsExactly(List.of(GW_B));
        assertThat(conntrack.count(GW_A) + conntrack.count(GW_A | 0x80)).as("IPv4 pins of A left")
                .isEqualTo(1);  // only the IPv6 entry
        assertThat(conntrack.entries).extracting(InMemoryConntrack.Entry::connmark)
                .containsExactlyInAnyOrder(GW_B, GW_A ^ 0x01000000L, 0x4000L, GW_A);
        assertThat(stats.connectionsDeleted()).isEqualTo(3);
    }

    @Test
    void reconcilingAgainDeletesNothingMore() {
        planning.gatewayMarks.set(List.of(GW_B));
        reconciler.reconcile(false);
        reconciler.reconcile(false);
        reconciler.reconcile(true);

        assertThat(conntrack.deletes).hasSize(1);
    }

    @Test
    void aFailedApplyPostponesTheDeletionUntilAnApplySucceeds() {
        kernel.failing = op -> op.kind() == Kind.IPSET;
        planning.gatewayMarks.set(List.of(GW_B));
        watch.set(state(List.of(policy("shop", 2, "192.0.2.200")), List.of(slice("shop", "10.244.1.9"))));

        assertThat(reconciler.reconcile(false).ok()).isFalse();
        assertThat(conntrack.deletes).isEmpty();

        kernel.failing = op -> false;
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        assertThat(conntrack.deletes).containsExactly(new ConnectionPin(Family.IPV4, GW_A, 0xffff0000L));
    }

    @Test
    void aFailedDeletionFailsThePassNotTheApplyAndIsRetried() {
        conntrack.failing = true;
        planning.gatewayMarks.set(List.of(GW_B));
        PassResult failed = reconciler.reconcile(false);

        assertThat(failed.ok()).isFalse();
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(kernel.contents().ofKind(Kind.RULE)).as("the apply went through").hasSize(1);
        assertThat(stats.connectionDeleteFailures()).isEqualTo(1);

        conntrack.failing = false;
        PassResult retried = reconciler.reconcile(false);
        assertThat(retried.ok()).isTrue();
        assertThat(retried.operations()).isZero();
        assertThat(conntrack.count(GW_A)).isEqualTo(1);  // the IPv6 one
        assertThat(stats.connectionsDeleted()).isEqualTo(3);
    }

    @Test
    void aGatewayThatIsBackBeforeTheDeletionKeepsItsConnections() {
        conntrack.failing = true;
        planning.gatewayMarks.set(List.of(GW_B));
        reconciler.reconcile(false);

        conntrack.failing = false;
        planning.gatewayMarks.set(List.of(GW_A, GW_B));
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        assertThat(conntrack.deletes).isEmpty();
        assertThat(conntrack.count(GW_A)).isEqualTo(3);
    }

    @Test
    void anAgentThatRestartsBeforeTheDeletionStillDeletesThePinnedConnections() {
        conntrack.failing = true;
        planning.gatewayMarks.set(List.of(GW_B));
        assertThat(reconciler.reconcile(false).ok()).isFalse();
        assertThat(kernel.contents().ofType(IptablesChain.class)).as("the pending pin is recorded in the kernel")
                .anySatisfy(c -> assertThat(c.chain()).isEqualTo(PendingPins.CHAIN));

        // the agent restarts: nothing of the old one's memory is left, the kernel no longer restores the pin
        conntrack.failing = false;
        NodeDatapathReconciler restarted = new NodeDatapathReconciler("node1", watch, () -> FACTS, kernel, kernel,
                conntrack, new AgentFixtures.RecordingReport(), planning, () -> false, new AgentStats());
        assertThat(restarted.reconcile(false).ok()).isTrue();
        assertThat(conntrack.deletes).containsExactly(new ConnectionPin(Family.IPV4, GW_A, 0xffff0000L));
        assertThat(conntrack.count(GW_A)).isEqualTo(1);  // the IPv6 one

        assertThat(restarted.reconcile(false).ok()).isTrue();
        assertThat(kernel.contents().ofType(IptablesChain.class)).as("the record goes once the connections are gone")
                .noneSatisfy(c -> assertThat(c.chain()).isEqualTo(PendingPins.CHAIN));
        assertThat(conntrack.deletes).hasSize(1);
    }
}
