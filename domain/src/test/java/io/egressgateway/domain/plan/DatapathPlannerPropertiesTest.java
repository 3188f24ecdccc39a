package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.DatapathOps;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DatapathPlannerPropertiesTest {

    private static NodeSnapshot small(long seed, int nodes) {
        return SyntheticCluster.generate(seed, nodes, 1 + Math.floorMod(seed, 3), 1 + Math.floorMod(seed, 8), 40);
    }

    @Property(tries = 300)
    void planDoesNotDependOnInputOrder(@ForAll long seed, @ForAll long shuffleSeed, @ForAll @IntRange(min = 1, max = 12) int nodes) {
        NodeSnapshot s = small(seed, nodes);
        assertThat(DatapathPlanner.plan(SyntheticCluster.shuffled(s, shuffleSeed)).render())
                .isEqualTo(DatapathPlanner.plan(s).render());
    }

    @Property(tries = 300)
    void applyingTheDiffConverges(@ForAll long seed, @ForAll long otherSeed, @ForAll long mixSeed,
                                  @ForAll @IntRange(min = 1, max = 10) int nodes) {
        Datapath desired = DatapathPlanner.plan(small(seed, nodes));
        Datapath actual = randomActual(desired, DatapathPlanner.plan(small(otherSeed, nodes)), new Random(mixSeed));

        List<DatapathOp> ops = DatapathDiff.between(desired, actual);
        Datapath after = DatapathOps.applyTo(actual, ops);

        assertThat(DatapathDiff.between(desired, after)).isEmpty();
        assertThat(deletable(after)).isEqualTo(deletable(desired));
    }

    @Property(tries = 300)
    void diffNeverDeletesWhatIsNotDeletable(@ForAll long seed, @ForAll long otherSeed, @ForAll long mixSeed,
                                            @ForAll @IntRange(min = 1, max = 10) int nodes) {
        Datapath desired = DatapathPlanner.plan(small(seed, nodes));
        Datapath actual = randomActual(desired, DatapathPlanner.plan(small(otherSeed, nodes)), new Random(mixSeed));

        assertThat(DatapathDiff.between(desired, actual))
                .filteredOn(op -> op.action() == DatapathOp.Action.DELETE)
                .allSatisfy(op -> assertThat(op.kind().deletable()).as(op.render()).isTrue());
    }

    /** Objects of the desired plan, of another plan, and altered copies of both: what drift looks like. */
    private static Datapath randomActual(Datapath desired, Datapath other, Random r) {
        List<DatapathOp> adds = new ArrayList<>();
        for (Datapath d : List.of(desired, other)) {
            for (DatapathObject o : d.objects()) {
                int roll = r.nextInt(4);
                if (roll == 0) {
                    continue;
                }
                adds.add(DatapathOp.add(roll == 1 ? altered(o, r) : o));
            }
        }
        if (r.nextBoolean()) {
            adds.add(DatapathOp.add(new Sysctl("net/ipv4/fib_multipath_hash_policy", "2")));
        }
        return DatapathOps.applyTo(Datapath.empty(), adds);
    }

    private static DatapathObject altered(DatapathObject o, Random r) {
        if (o instanceof IpSet s) {
            List<String> members = new ArrayList<>(s.members());
            if (!members.isEmpty() && r.nextBoolean()) {
                members.remove(r.nextInt(members.size()));
            } else {
                members.add(s.family().suffix().equals("v4") ? "192.0.2.77/32" : "2001:db8::77/128");
            }
            return new IpSet(s.name(), s.family(), members);
        }
        if (o instanceof IptablesChain c) {
            List<IptablesRule> rules = new ArrayList<>(c.rules());
            rules.add(r.nextInt(rules.size() + 1), IptablesRule.of("-j RETURN"));
            return new IptablesChain(c.family(), c.table(), c.chain(), rules);
        }
        if (o instanceof Sysctl s) {
            return new Sysctl(s.path(), "0");
        }
        return o;
    }

    private static List<String> deletable(Datapath d) {
        return d.objects().stream().filter(o -> o.kind() != Kind.SYSCTL).map(DatapathObject::render).toList();
    }
}
