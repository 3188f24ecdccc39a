package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full agent pass, plan + diff, for 1,000 policies, 10,000 endpoints and 500 nodes (dual stack),
 * seen from a worker and from a gateway node (which holds the full source sets of the policies it
 * carries and a reply route per peer). "steady" diffs against an identical kernel (the usual
 * resync), "initial" against an empty one (first start).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanAndDiffBenchmark {
    @Param({"worker", "gateway"})
    public String role;

    private NodeSnapshot snapshot;
    private Datapath steadyActual;

    @Setup
    public void setUp() {
        snapshot = snapshotFor(role);
        steadyActual = DatapathPlanner.plan(snapshot);
        System.out.println("sizes: role=" + role + " node=" + snapshot.nodeName() + " objects=" + steadyActual.objects().size()
                + " lines=" + steadyActual.render().split("\n").length);
    }

    /** The benchmark cluster seen from a worker (no gateway lists it) or from a gateway node carrying EIPs. */
    static NodeSnapshot snapshotFor(String role) {
        NodeSnapshot s = SyntheticCluster.generate(42, 500, 10, 1000, 10_000, true);
        String node = s.gateways().stream().flatMap(g -> g.status().nodeList().stream())
                .filter(n -> n.status() == NodeReadiness.Ready && !n.eips().isEmpty()).map(GatewayNode::name)
                .findFirst().orElseThrow();
        if (role.equals("worker")) {
            node = s.egressNodes().stream().map(n -> n.name())
                    .filter(n -> s.gateways().stream().noneMatch(g -> g.status().nodeList().stream().anyMatch(x -> x.name().equals(n))))
                    .filter(n -> s.egressNodes().stream().anyMatch(e -> e.name().equals(n) && e.mark() != null))
                    .findFirst().orElseThrow();
        }
        return SyntheticCluster.as(s, node);
    }

    @Benchmark
    public List<DatapathOp> steady() {
        return DatapathDiff.between(DatapathPlanner.plan(snapshot), steadyActual);
    }

    @Benchmark
    public List<DatapathOp> initial() {
        return DatapathDiff.between(DatapathPlanner.plan(snapshot), Datapath.empty());
    }
}
