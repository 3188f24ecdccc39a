package io.egressgateway.domain.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.Policy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AllocatorPropertiesTest {

    @Provide
    Arbitrary<Set<String>> nodeNames() {
        return Arbitraries.strings().withCharRange('a', 'h').ofMinLength(1).ofMaxLength(3).set().ofMaxSize(40);
    }

    /** Random existing claims: some valid, some duplicated, some garbage, some of unknown nodes. */
    private static Map<String, String> claims(Set<String> nodes, long seed, List<String> values) {
        Random r = new Random(seed);
        Map<String, String> out = new HashMap<>();
        List<String> keys = new ArrayList<>(nodes);
        keys.add("zz-deleted");
        for (String k : keys) {
            if (r.nextInt(3) > 0) {
                out.put(k, values.get(r.nextInt(values.size())));
            }
        }
        return out;
    }

    private static <V> void assertUnique(Allocation<V> a) {
        assertThat(new HashSet<>(a.assigned().values())).hasSameSizeAs(a.assigned().values());
    }

    @Property
    void tunnelIpsAreUniqueRebuildableAndOrderIndependent(@ForAll("nodeNames") Set<String> nodes, @ForAll long seed) {
        TunnelIpAllocator alloc = TunnelIpAllocator.parse("172.31.0.0/26").orElseThrow();
        Map<String, String> existing = claims(nodes, seed,
                List.of("172.31.0.1/26", "172.31.0.2/26", "172.31.0.63/26", "172.31.0.9", "10.0.0.1/8", "x"));
        Allocation<String> a = alloc.allocate(nodes, existing);
        assertUnique(a);
        assertThat(a.assigned().keySet()).allMatch(nodes::contains);
        assertThat(a.assigned().size() + a.exhausted().size()).isEqualTo(nodes.size());
        Allocation<String> rebuilt = alloc.allocate(nodes, a.assigned());
        assertThat(rebuilt.assigned()).isEqualTo(a.assigned());
        assertThat(rebuilt.conflicts()).isEmpty();
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(alloc.allocate(shuffled, new HashMap<>(existing)).assigned()).isEqualTo(a.assigned());
    }

    @Property
    void marksAreUniqueInsideTheSchemeAndRebuildable(@ForAll("nodeNames") Set<String> nodes, @ForAll long seed) {
        MarkAllocator m = MarkAllocator.of(0x80000000L, 0xff000000L, 0x00fff0ffL).orElseThrow();
        Map<String, Long> existing = new HashMap<>();
        claims(nodes, seed, List.of("1", "2", "3", "x")).forEach((k, v) -> {
            if (!v.equals("x")) {
                existing.put(k, m.markOf(Long.parseLong(v)));
            } else {
                existing.put(k, 0x12345678L);
            }
        });
        Allocation<Long> a = m.allocate(nodes, existing);
        assertUnique(a);
        assertThat(a.assigned().values()).allSatisfy(v -> {
            assertThat(v & 0xff000000L).isEqualTo(0x80000000L);
            assertThat(v & 0x00fff0ffL).isZero();
        });
        assertThat(a.assigned().size() + a.exhausted().size()).isEqualTo(nodes.size());
        assertThat(m.allocate(nodes, a.assigned()).assigned()).isEqualTo(a.assigned());
    }

    @Property
    void macsAreUniqueAndRebuildable(@ForAll("nodeNames") Set<String> nodes, @ForAll long seed) {
        Map<String, String> existing = claims(nodes, seed, List.of("02:00:00:00:00:01", TunnelMacAllocator.forNode("a")));
        Allocation<String> a = TunnelMacAllocator.allocate(nodes, existing);
        assertUnique(a);
        assertThat(a.assigned()).hasSameSizeAs(nodes);
        assertThat(TunnelMacAllocator.allocate(nodes, a.assigned()).assigned()).isEqualTo(a.assigned());
    }

    @Property
    void rrEipsAreNeverSharedAndSurviveARestart(@ForAll("nodeNames") Set<String> names, @ForAll long seed) {
        GatewayPools pools = GatewayPools.of(new IpPools(List.of("10.6.1.1-10.6.1.20"), List.of(), null, null));
        List<Policy> policies = new ArrayList<>();
        Random r = new Random(seed);
        for (String n : names) {
            policies.add(EipAllocatorTest.policy(n, EgressIpMode.EgressIP, r.nextInt(8) == 0 ? "10.6.1.5" : "", "",
                    r.nextBoolean() ? AllocatorPolicy.RR : AllocatorPolicy.DEFAULT));
        }
        Map<String, EipAllocator.Claim> previous = new HashMap<>();
        claims(names, seed, List.of("10.6.1.1", "10.6.1.2", "10.6.1.5", "10.6.1.30")).forEach((k, v) ->
                previous.put(k, new EipAllocator.Claim(v, null)));
        EipAllocator.Result a = EipAllocator.allocate(pools, policies, previous);
        List<String> rrIps = new ArrayList<>();
        for (Policy p : policies) {
            boolean pinned = !p.egressIP().ipv4().isEmpty();
            if (!pinned && p.egressIP().allocatorPolicy() == AllocatorPolicy.RR && a.policies().get(p.name()).ipv4() != null) {
                rrIps.add(a.policies().get(p.name()).ipv4().text());
            }
        }
        assertThat(new HashSet<>(rrIps)).hasSameSizeAs(rrIps).doesNotContain("10.6.1.1");
        if (policies.stream().anyMatch(p -> !p.egressIP().ipv4().isEmpty())) {
            assertThat(rrIps).doesNotContain("10.6.1.5");
        }
        Map<String, EipAllocator.Claim> after = new HashMap<>();
        a.policies().forEach((k, v) -> after.put(k, new EipAllocator.Claim(v.ipv4() == null ? null : v.ipv4().text(), null)));
        Collections.shuffle(policies, r);
        assertThat(EipAllocator.allocate(pools, policies, after).policies()).isEqualTo(a.policies());
    }
}
