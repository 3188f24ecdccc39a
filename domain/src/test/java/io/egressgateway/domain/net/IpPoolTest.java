package io.egressgateway.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPoolTest {

    private static IpPool v4(String... entries) {
        return IpPool.parse(Family.IPV4, List.of(entries)).orElseThrow();
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    @Test
    void theSpecExamplePoolCountsEachAddressOnce() {
        // api.md's ipUsage says 23 (1 + 6 + 16), but 10.6.1.64/28 holds 10.6.1.64-65 of the range too
        IpPool pool = v4("10.6.1.55", "10.6.1.60-10.6.1.65", "10.6.1.70/28");
        assertThat(pool.size()).isEqualTo(BigInteger.valueOf(21));
        assertThat(pool.entries().get(2).note()).contains("10.6.1.70/28 has host bits set; taken as 10.6.1.64/28");
        assertThat(pool.text()).isEqualTo("10.6.1.55,10.6.1.60-10.6.1.79");
        IpPool v6 = IpPool.parse(Family.IPV6, List.of("fd00:6::10-fd00:6::20")).orElseThrow();
        assertThat(v6.size()).isEqualTo(BigInteger.valueOf(17));
    }

    @ParameterizedTest(name = "pool entry ''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', value = {
            "10.6.1.65-10.6.1.60|ends before it starts",
            "10.6.1.1-fd00::1|mixes IPv4 and IPv6",
            "fd00::1|is IPv6, but this is the IPv4 pool",
            "10.6.1.x|is not an IPv4 address",
            "10.6.1.0/33|invalid prefix length",
    })
    void badEntriesAreNamed(String entry, String why) {
        Parsed<IpPool> p = IpPool.parse(Family.IPV4, List.of("10.6.1.1", entry));
        assertThat(p.message()).startsWith("'" + entry + "'").contains(why).endsWith("(entry [1])");
    }

    @Test
    void overlappingEntriesMergeAndCountOnce() {
        IpPool pool = v4("10.0.0.1-10.0.0.10", "10.0.0.5-10.0.0.20", "10.0.0.21");
        assertThat(pool.ranges()).map(IpRange::text).containsExactly("10.0.0.1-10.0.0.21");
        assertThat(pool.size()).isEqualTo(BigInteger.valueOf(21));
    }

    @Test
    void overlapBetweenPoolsIsReportedAsRanges() {
        IpPool a = v4("10.0.0.0/24");
        IpPool b = v4("10.0.0.250-10.0.1.5", "10.0.0.7");
        assertThat(a.overlap(b)).map(IpRange::text).containsExactly("10.0.0.7", "10.0.0.250-10.0.0.255");
        assertThat(a.overlaps(v4("10.0.1.0/24"))).isFalse();
    }

    @Test
    void freeSearchSkipsUsedAddressesAcrossRanges() {
        IpPool pool = v4("10.0.0.1-10.0.0.3", "10.0.0.10");
        TreeSet<IpAddress> used = new TreeSet<>(List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("192.0.2.1")));
        assertThat(pool.firstFree(used)).contains(ip("10.0.0.3"));
        assertThat(pool.nthFree(BigInteger.ONE, used)).contains(ip("10.0.0.10"));
        assertThat(pool.nthFree(BigInteger.TWO, used)).isEmpty();
        assertThat(pool.freeCount(used)).isEqualTo(BigInteger.TWO);
    }

    @Test
    void hugeIpv6PoolsAreCountedAndSearchedWithoutMaterialising() {
        IpPool pool = IpPool.parse(Family.IPV6, List.of("2001:db8::/32")).orElseThrow();
        assertThat(pool.size()).isEqualTo(BigInteger.ONE.shiftLeft(96));
        TreeSet<IpAddress> used = new TreeSet<>(List.of(ip("2001:db8::"), ip("2001:db8::1")));
        assertThat(pool.firstFree(used)).contains(ip("2001:db8::2"));
        assertThat(pool.nth(BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE)))
                .contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
        List<IpAddress> firstThree = new ArrayList<>();
        for (IpAddress a : pool) {
            if (firstThree.size() == 3) {
                break;
            }
            firstThree.add(a);
        }
        assertThat(firstThree).map(IpAddress::text).containsExactly("2001:db8::", "2001:db8::1", "2001:db8::2");
    }

    @Test
    void poolsBecomeExactCidrs() {
        assertThat(v4("10.6.1.55", "10.6.1.60-10.6.1.65").toCidrs()).map(Cidr::text)
                .containsExactly("10.6.1.55/32", "10.6.1.60/30", "10.6.1.64/31");
        assertThat(v4("0.0.0.0-255.255.255.255").toCidrs()).map(Cidr::text).containsExactly("0.0.0.0/0");
    }

    @Test
    void firstWrittenIsTheFirstEntryNotTheLowest() {
        assertThat(v4("10.0.0.9", "10.0.0.1").firstWritten()).contains(ip("10.0.0.9"));
    }
}
