package io.egressgateway.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class NetPropertiesTest {

    @Provide
    Arbitrary<IpAddress> addresses() {
        Arbitrary<IpAddress> v4 = Arbitraries.longs().between(0, 0xffffffffL).map(IpAddress::v4);
        Arbitrary<IpAddress> v6 = Arbitraries.bigIntegers().between(BigInteger.ZERO, IpAddress.max(Family.IPV6))
                .map(v -> IpAddress.of(Family.IPV6, v));
        Arbitrary<IpAddress> sparseV6 = Arbitraries.integers().between(0, 255).list().ofSize(8).map(gs -> {
            BigInteger v = BigInteger.ZERO;
            for (int g : gs) {
                v = v.shiftLeft(16).or(BigInteger.valueOf(g < 200 ? 0 : g));
            }
            return IpAddress.of(Family.IPV6, v);
        });
        return Arbitraries.oneOf(v4, v6, sparseV6);
    }

    @Property
    void canonicalTextParsesBackToTheSameAddress(@ForAll("addresses") IpAddress a) {
        assertThat(IpAddress.parse(a.text()).orElseThrow()).isEqualTo(a);
    }

    @Property
    void lenientCidrContainsTheAddressAndIsStrictlyParseable(@ForAll("addresses") IpAddress a,
                                                              @ForAll @IntRange(max = 128) int prefix) {
        int p = Math.min(prefix, a.family().bits());
        Cidr c = Cidr.parseLenient(a.text() + "/" + p).orElseThrow().cidr();
        assertThat(c.contains(a)).isTrue();
        assertThat(Cidr.parse(c.text()).orElseThrow()).isEqualTo(c);
    }

    @Provide
    Arbitrary<List<IpRange>> smallRanges() {
        Arbitrary<IpRange> r = Combinators.combine(Arbitraries.longs().between(0, 200), Arbitraries.longs().between(0, 20))
                .as((start, len) -> new IpRange(IpAddress.v4(start), IpAddress.v4(start + len)));
        return r.list().ofMinSize(0).ofMaxSize(6);
    }

    @Property
    void poolArithmeticAgreesWithEnumeration(@ForAll("smallRanges") List<IpRange> ranges,
                                              @ForAll("smallRanges") List<IpRange> usedRanges) {
        IpPool pool = IpPool.of(Family.IPV4, ranges);
        TreeSet<IpAddress> all = new TreeSet<>();
        for (IpRange r : ranges) {
            for (long v = r.first().value().longValue(); v <= r.last().value().longValue(); v++) {
                all.add(IpAddress.v4(v));
            }
        }
        TreeSet<IpAddress> used = new TreeSet<>();
        for (IpRange r : usedRanges) {
            used.add(r.first());
        }
        List<IpAddress> iterated = new ArrayList<>();
        pool.forEach(iterated::add);
        assertThat(iterated).containsExactlyElementsOf(all);
        assertThat(pool.size()).isEqualTo(BigInteger.valueOf(all.size()));
        List<IpAddress> free = all.stream().filter(a -> !used.contains(a)).toList();
        assertThat(pool.freeCount(used)).isEqualTo(BigInteger.valueOf(free.size()));
        for (int n = 0; n <= free.size(); n++) {
            assertThat(pool.nthFree(BigInteger.valueOf(n), used).orElse(null)).isEqualTo(n < free.size() ? free.get(n) : null);
        }
        BigInteger cidrTotal = pool.toCidrs().stream().map(Cidr::size).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(cidrTotal).isEqualTo(pool.size());
        assertThat(pool.toCidrs()).allSatisfy(c -> assertThat(pool.contains(c.toRange())).isTrue());
    }
}
