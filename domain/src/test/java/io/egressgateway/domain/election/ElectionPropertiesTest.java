package io.egressgateway.domain.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ElectionPropertiesTest {

    /** A random world: 1-6 gateway nodes, some not Ready, up to 20 policies of every mode. */
    private static Fixture world(long seed, int nodes, int policies, boolean rrOnly) {
        Random r = new Random(seed);
        String[] names = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = "n" + i;
        }
        Fixture f = new Fixture(List.of("10.6.1.1-10.6.1.12"), r.nextBoolean() ? List.of("fd00::1-fd00::30") : List.of(),
                names);
        if (!rrOnly) {
            for (String n : names) {
                if (r.nextInt(4) == 0) {
                    f.nodeReady.put(n, false);
                }
            }
            f.method = r.nextBoolean() ? ForwardMethod.ACTIVE_ACTIVE : ForwardMethod.ACTIVE_PASSIVE;
        }
        EgressIpMode[] modes = {EgressIpMode.EgressIP, EgressIpMode.NodeIP, EgressIpMode.None, null};
        for (int i = 0; i < policies; i++) {
            EgressIpMode mode = rrOnly ? EgressIpMode.EgressIP : modes[r.nextInt(modes.length)];
            AllocatorPolicy how = rrOnly || r.nextBoolean() ? AllocatorPolicy.RR : AllocatorPolicy.DEFAULT;
            f.policy("p" + i, mode, how);
        }
        return f;
    }

    private static Map<String, Integer> eipLoad(ElectionResult r) {
        Map<String, Integer> load = new HashMap<>();
        for (GatewayNode n : r.status().nodeList()) {
            if (n.status() == NodeReadiness.Ready) {
                load.put(n.name(), n.eips().size());
            }
        }
        return load;
    }

    private static void assertBalanced(ElectionResult r) {
        Map<String, Integer> load = eipLoad(r);
        if (!load.isEmpty()) {
            assertThat(Collections.max(load.values()) - Collections.min(load.values())).as("loads %s", load).isLessThanOrEqualTo(1);
        }
    }

    @Property
    void resultIsIndependentOfInputOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                                         @ForAll @IntRange(max = 20) int policies) {
        Fixture f = world(seed, nodes, policies, false);
        ElectionInput in = f.input();
        List<io.egressgateway.domain.model.ClusterNode> ns = new ArrayList<>(in.nodes());
        List<io.egressgateway.domain.model.EgressNode> es = new ArrayList<>(in.egressNodes());
        List<io.egressgateway.domain.model.Policy> ps = new ArrayList<>(in.policies());
        Random r = new Random(seed);
        Collections.shuffle(ns, r);
        Collections.shuffle(es, r);
        Collections.shuffle(ps, r);
        ElectionInput shuffled = new ElectionInput(in.gateway(), ns, es, in.heartbeatExpired(), ps, in.forwardMethod(),
                in.mark(), in.now());
        assertThat(GatewayElection.elect(shuffled)).isEqualTo(GatewayElection.elect(in));
    }

    @Property
    void electingAgainWithNothingChangedChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                                                       @ForAll @IntRange(max = 20) int policies) {
        Fixture f = world(seed, nodes, policies, false);
        ElectionResult first = f.elect();
        f.now = Fixture.T0.plusSeconds(5);
        assertThat(f.elect()).isEqualTo(first);
    }

    @Property
    void everyEipIsOnOneReadyNodeAtMost(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                                        @ForAll @IntRange(max = 20) int policies) {
        ElectionResult r = world(seed, nodes, policies, false).elect();
        Set<String> seen = new HashSet<>();
        for (GatewayNode n : r.status().nodeList()) {
            if (n.status() != NodeReadiness.Ready) {
                assertThat(n.eips()).isEmpty();
            }
            n.eips().forEach(e -> {
                if (e.ipv4() != null) {
                    assertThat(seen.add(e.ipv4())).as("%s placed twice", e.ipv4()).isTrue();
                }
                if (e.ipv6() != null) {
                    assertThat(seen.add(e.ipv6())).as("%s placed twice", e.ipv6()).isTrue();
                }
            });
        }
        r.policies().values().forEach(d -> assertThat(d.nodes()).allSatisfy(n ->
                assertThat(r.status().nodeList().stream().filter(g -> g.name().equals(n)).findFirst().orElseThrow().status())
                        .isEqualTo(NodeReadiness.Ready)));
    }

    @Property
    void healthyNodesKeepWhatTheyCarryWhenOthersFail(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                                                     @ForAll @IntRange(max = 20) int policies) {
        Fixture f = world(seed, nodes, policies, false);
        f.method = ForwardMethod.ACTIVE_PASSIVE;
        ElectionResult before = f.elect();
        String failed = "n" + new Random(seed).nextInt(nodes);
        f.nodeReady.put(failed, false);
        ElectionResult after = f.elect();
        before.policies().forEach((p, d) -> {
            if (d.node() != null && !d.node().equals(failed)) {
                assertThat(after.policies().get(p).node()).as("policy %s", p).isEqualTo(d.node());
            }
            if (failed.equals(d.node()) && after.status().nodeList().stream().anyMatch(n -> n.status() == NodeReadiness.Ready)) {
                assertThat(after.policies().get(p).node()).as("policy %s moved", p).isNotNull().isNotEqualTo(failed);
            }
        });
    }

    @Property
    void placementFromScratchIsBalanced(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                                        @ForAll @IntRange(max = 12) int policies) {
        assertBalanced(world(seed, nodes, policies, true).elect());
    }

    @Property
    void eipsOfAFailedNodeAreSpreadNotPiled(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int nodes,
                                            @ForAll @IntRange(max = 12) int policies) {
        Fixture f = world(seed, nodes, policies, true);
        Map<String, Integer> before = eipLoad(f.elect());
        String failed = "n" + new Random(seed).nextInt(nodes);
        f.nodeReady.put(failed, false);
        ElectionResult after = f.elect();
        assertBalanced(after);
        Map<String, Integer> now = eipLoad(after);
        int moved = before.get(failed);
        int gainedMost = now.entrySet().stream().mapToInt(e -> e.getValue() - before.get(e.getKey())).max().orElse(0);
        assertThat(gainedMost).as("no node takes more than its share of %d moved EIPs", moved)
                .isLessThanOrEqualTo((moved + nodes - 2) / (nodes - 1) + 1);
    }
}
