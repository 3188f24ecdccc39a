package io.egressgateway.domain.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatapathOpsTest {
    private final RouteRule gw1 = new RouteRule(Family.IPV4, 99, 0x26010000L, 0xffffffffL, 0x26010000L);
    private final RouteRule gw2 = new RouteRule(Family.IPV4, 99, 0x26020000L, 0xffffffffL, 0x26020000L);
    private final IpSet set = new IpSet("egress-src-v4-1", Family.IPV4, List.of("10.0.0.1/32"));

    @Test
    void applyingAddReplaceAndDeleteLeavesWhatTheKernelWouldHold() {
        IpSet bigger = new IpSet("egress-src-v4-1", Family.IPV4, List.of("10.0.0.1/32", "10.0.0.2/32"));
        Datapath actual = Datapath.of(List.of(gw1, set));

        Datapath after = DatapathOps.applyTo(actual, List.of(DatapathOp.add(gw2), DatapathOp.replace(set, bigger),
                DatapathOp.delete(gw1)));

        assertThat(after).isEqualTo(Datapath.of(List.of(gw2, bigger)));
        assertThat(actual.objects()).as("the input is not changed").containsExactlyInAnyOrder(gw1, set);
    }

    @Test
    void puttingBackWhatTheLastAppliedPlanHadIsDrift() {
        Datapath applied = Datapath.of(List.of(gw1, set));
        IpSet emptied = new IpSet("egress-src-v4-1", Family.IPV4, List.of());
        // someone deleted the rule and flushed the set
        List<DatapathOp> ops = DatapathDiff.between(applied, Datapath.of(List.of(emptied)));

        assertThat(DatapathOps.drift(ops, applied)).containsExactlyInAnyOrderElementsOf(ops).hasSize(2);
    }

    @Test
    void aNewPlanIsNotDrift() {
        Datapath applied = Datapath.of(List.of(gw1, set));
        IpSet bigger = new IpSet("egress-src-v4-1", Family.IPV4, List.of("10.0.0.1/32", "10.0.0.2/32"));
        // a pod joined (set grows), the gateway moved (gw1 goes, gw2 comes)
        List<DatapathOp> ops = DatapathDiff.between(Datapath.of(List.of(gw2, bigger)), applied);

        assertThat(ops).hasSize(3);
        assertThat(DatapathOps.drift(ops, applied)).isEmpty();
    }

    @Test
    void deletingAnOwnedObjectTheLastPlanDidNotHaveIsDrift() {
        Datapath applied = Datapath.of(List.of(set));
        List<DatapathOp> ops = DatapathDiff.between(applied, Datapath.of(List.of(set, gw1))); // someone added gw1

        assertThat(DatapathOps.drift(ops, applied)).containsExactly(DatapathOp.delete(gw1));
    }

    @Test
    void beforeTheFirstAppliedPlanNothingIsDrift() {
        List<DatapathOp> ops = DatapathDiff.between(Datapath.of(List.of(gw1, set)), Datapath.empty());

        assertThat(DatapathOps.drift(ops, null)).isEmpty();
    }
}
