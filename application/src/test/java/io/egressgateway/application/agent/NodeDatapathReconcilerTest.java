package io.egressgateway.application.agent;

import static io.egressgateway.application.agent.AgentFixtures.FACTS;
import static io.egressgateway.application.agent.AgentFixtures.policy;
import static io.egressgateway.application.agent.AgentFixtures.slice;
import static io.egressgateway.application.agent.AgentFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.in.ReconcileNodeDatapathUseCase.PassResult;
import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.plan.NodeWideSysctls;
import java.util.ArrayList;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.Kind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NodeDatapathReconcilerTest {
    private final InMemoryKernel kernel = new InMemoryKernel();
    private final AgentFixtures.FakeWatch watch = new AgentFixtures.FakeWatch();
    private final AgentFixtures.RecordingReport report = new AgentFixtures.RecordingReport();
    private final AtomicBoolean fenced = new AtomicBoolean();
    private final AgentStats stats = new AgentStats();
    private final NodeDatapathReconciler reconciler = new NodeDatapathReconciler("node1", watch, () -> FACTS,
            kernel, kernel, pin -> 0, report, new AgentFixtures.ToyPlanning(), fenced::get, stats);

    @Test
    void nothingIsPlannedOrAppliedBeforeTheCachesHaveSynced() {
        watch.synced = false;
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of()));
        PassResult r = reconciler.reconcile(false);
        assertThat(r.skipped()).isTrue();
        assertThat(kernel.applied).isEmpty();
        assertThat(report.reports).isEmpty();
    }

    @Test
    void reconcilingTwiceAppliesNothingTheSecondTime() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        PassResult first = reconciler.reconcile(false);
        PassResult second = reconciler.reconcile(false);
        assertThat(first.operations()).isEqualTo(2);
        assertThat(second.operations()).isZero();
        assertThat(kernel.applied).hasSize(1);
    }

    @Test
    void aPolicyChangeAppliesOnlyTheDifference() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200"), policy("db", 1, "192.0.2.201")),
                List.of(slice("shop", "10.244.1.5"), slice("db", "10.244.2.7"))));
        reconciler.reconcile(false);
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200"), policy("db", 1, "192.0.2.201")),
                List.of(slice("shop", "10.244.1.5", "10.244.1.6"), slice("db", "10.244.2.7"))));
        reconciler.reconcile(false);
        List<DatapathOp> last = kernel.applied.get(kernel.applied.size() - 1);
        assertThat(last).singleElement().satisfies(op -> {
            assertThat(op.action()).isEqualTo(DatapathOp.Action.REPLACE);
            assertThat(((IpSet) op.object()).members()).containsExactly("10.244.1.5/32", "10.244.1.6/32");
        });
    }

    @Test
    void aRemovedPolicyLeavesNothingOwnedBehind() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(false);
        watch.set(state(List.of(), List.of()));
        reconciler.reconcile(false);
        assertThat(kernel.contents().isEmpty()).isTrue();
    }

    @Test
    void aResyncRepairsDriftAndCountsIt() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(false);
        kernel.tamper(new EipAnnouncement("192.0.2.200", "eth0"));
        reconciler.reconcile(true);
        assertThat(stats.driftRepaired()).isEqualTo(1);
        assertThat(kernel.contents().ofKind(Kind.EIP_ANNOUNCEMENT)).hasSize(1);
    }

    @Test
    void takingOverAPredecessorsStateOrFollowingANewPlanIsNotDrift() {
        kernel.plant(new EipAnnouncement("192.0.2.205", "eth0")); // left by the previous agent
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        assertThat(reconciler.reconcile(true).operations()).isPositive();
        assertThat(stats.driftRepaired()).as("first pass after start").isZero();

        watch.set(state(List.of(policy("shop", 2, "192.0.2.201")), List.of(slice("shop", "10.244.1.9"))));
        assertThat(reconciler.reconcile(true).operations()).isPositive();
        assertThat(stats.driftRepaired()).as("a new plan applied by a resync pass").isZero();
    }

    @Test
    void driftIsFoundAndCountedByTheNextResyncNotByAnEventPass() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(false);
        kernel.tamper(new EipAnnouncement("192.0.2.200", "eth0"));
        reconciler.reconcile(false);
        assertThat(stats.driftRepaired()).as("an event pass trusts the last good plan").isZero();
        reconciler.reconcile(true);
        assertThat(stats.driftRepaired()).isEqualTo(1);
        assertThat(kernel.contents().ofKind(Kind.EIP_ANNOUNCEMENT)).hasSize(1);
    }

    @Test
    void anEndpointChangeInAnEventPassIsOneSetUpdateWithoutReadingTheKernel() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(false);
        assertThat(kernel.observations).as("the first pass reads the kernel").isEqualTo(1);
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5", "10.244.1.6"))));
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        assertThat(kernel.observations).as("an event pass after a good one does not").isEqualTo(1);
        assertThat(kernel.applied.get(kernel.applied.size() - 1)).singleElement()
                .satisfies(op -> assertThat(op.kind()).isEqualTo(Kind.IPSET));
        reconciler.reconcile(true);
        assertThat(kernel.observations).as("a resync does").isEqualTo(2);
    }

    @Test
    void aPassAfterAFailedApplyReadsTheKernelAgain() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        kernel.failing = op -> op.kind() == Kind.IPSET;
        assertThat(reconciler.reconcile(false).ok()).isFalse();
        kernel.failing = op -> false;
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        assertThat(kernel.observations).isEqualTo(2);
    }

    @Test
    void aFailedOperationIsReportedTheRestAppliedAndProgrammedGenerationsNotAdvanced() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(false);
        assertThat(report.last().programmed()).isEqualTo(Map.of("shop", 1L));
        kernel.failing = op -> op.kind() == Kind.IPSET;
        watch.set(state(List.of(policy("shop", 2, "192.0.2.201")), List.of(slice("shop", "10.244.1.9"))));
        PassResult r = reconciler.reconcile(false);
        assertThat(r.ok()).isFalse();
        assertThat(r.failures()).isEqualTo(1);
        assertThat(kernel.contents().ofType(EipAnnouncement.class)).extracting(EipAnnouncement::ip).containsExactly("192.0.2.201");
        assertThat(report.last().programmed()).isEqualTo(Map.of("shop", 1L));
        kernel.failing = op -> false;
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        assertThat(report.last().programmed()).isEqualTo(Map.of("shop", 2L));
    }

    @Test
    void fencingWithdrawsEipAnnouncementsAndKeepsTheRest() {
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        reconciler.reconcile(false);
        fenced.set(true);
        reconciler.reconcile(false);
        assertThat(kernel.contents().ofKind(Kind.EIP_ANNOUNCEMENT)).isEmpty();
        assertThat(kernel.contents().ofKind(Kind.IPSET)).hasSize(1);
        fenced.set(false);
        reconciler.reconcile(false);
        assertThat(kernel.contents().ofKind(Kind.EIP_ANNOUNCEMENT)).hasSize(1);
    }

    @Test
    void theReportCarriesTheNodesInterfaces() {
        watch.set(state(List.of(), List.of()));
        reconciler.reconcile(false);
        assertThat(report.last().interfaces()).singleElement()
                .satisfies(i -> assertThat(i.ipv4()).containsExactly("192.0.2.11/24"));
        assertThat(report.last().tunnelReady()).isFalse();
        assertThat(report.last().tunnelReason()).isEqualTo("NoTunnelPlanned");
    }

    /**
     * The planner sees what the node has: a node-wide value someone else chose is planned as it is
     * (nothing written, which an agent without a writable /proc/sys could not do anyway), a 0 is ours.
     */
    @Test
    void theObservedNodeWideSysctlsReachThePlanner() {
        String hash = NodeWideSysctls.HASH_POLICY_V4;
        DatapathPlanning toy = new AgentFixtures.ToyPlanning();
        DatapathPlanning planning = new DatapathPlanning() {
            @Override public Datapath plan(AgentClusterState st, NodeFacts f, boolean fenced) {
                throw new AssertionError("the reconciler must plan with the observed sysctls");
            }
            @Override public Datapath plan(AgentClusterState st, NodeFacts f, boolean fenced, Map<String, String> observed) {
                List<DatapathObject> objects = new ArrayList<>(toy.plan(st, f, fenced).objects());
                objects.add(NodeWideSysctls.onlyWhereZero(observed, hash, "1"));
                return Datapath.of(objects);
            }
            @Override public OwnershipScope scope(AgentClusterState st) { return toy.scope(st); }
            @Override public Map<String, Long> programmedGenerations(AgentClusterState st) { return toy.programmedGenerations(st); }
            @Override public List<ConnectionPin> lostPins(Datapath before, Datapath after) { return List.of(); }
            @Override public boolean restores(Datapath d, ConnectionPin pin) { return false; }
        };
        NodeDatapathReconciler r = new NodeDatapathReconciler("node1", watch, () -> FACTS, kernel, kernel, pin -> 0,
                report, planning, fenced::get, stats);

        kernel.plant(new Sysctl(hash, "2"));
        r.reconcile(false);
        assertThat(kernel.applied).isEmpty();
        assertThat(kernel.contents().ofType(Sysctl.class)).containsExactly(new Sysctl(hash, "2"));

        kernel.plant(new Sysctl(hash, "0"));
        r.reconcile(true);
        assertThat(kernel.applied).singleElement().satisfies(ops -> assertThat(ops).extracting(DatapathOp::object)
                .containsExactly(new Sysctl(hash, "1")));
    }

    @Test
    void aGateThatOpensAsTheCacheCatchesUpPlansFromTheCaughtUpCacheNotAnEarlierSnapshot() {
        // fenced: the EIP was withdrawn; meanwhile it moved away, which the cache learns just as the gate opens
        watch.set(state(List.of(policy("shop", 1, "192.0.2.200")), List.of(slice("shop", "10.244.1.5"))));
        fenced.set(true);
        assertThat(reconciler.reconcile(false).ok()).isTrue();
        java.util.function.BooleanSupplier gate = () -> {
            watch.set(state(List.of(policy("shop", 1, null)), List.of(slice("shop", "10.244.1.5"))));
            return false;
        };
        NodeDatapathReconciler r = new NodeDatapathReconciler("node1", watch, () -> FACTS, kernel, kernel,
                new InMemoryConntrack(kernel::contents), report, new AgentFixtures.ToyPlanning(), gate, stats);
        assertThat(r.reconcile(false).ok()).isTrue();
        assertThat(kernel.contents().ofKind(Kind.EIP_ANNOUNCEMENT)).as("announced from a snapshot older than the gate")
                .isEmpty();
    }
}
