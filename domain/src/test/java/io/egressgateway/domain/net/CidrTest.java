package io.egressgateway.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @Test
    void strictParseRejectsHostBitsAndNamesTheNetwork() {
        Parsed<Cidr> p = Cidr.parse("10.6.1.70/28");
        assertThat(p.message()).isEqualTo("'10.6.1.70/28' has host bits set; the network is 10.6.1.64/28");
    }

    @Test
    void lenientParseNormalisesAndSaysSo() {
        Cidr.Lenient l = Cidr.parseLenient("2001:db8::1/32").orElseThrow();
        assertThat(l.cidr().text()).isEqualTo("2001:db8::/32");
        assertThat(l.normalised()).isTrue();
        assertThat(Cidr.parseLenient("2001:db8::/32").orElseThrow().normalised()).isFalse();
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0|has no prefix length",
            "10.0.0.0/33|invalid prefix length, expected 0-32",
            "10.0.0.0/-1|invalid prefix length",
            "10.0.0.0/08|invalid prefix length",
            "10.0.0.0/|invalid prefix length",
            "fd00::/129|expected 0-128",
            "10.0.0.300/8|is not a CIDR: '10.0.0.300' is not an IPv4 address",
    })
    void badCidrs(String text, String why) {
        assertThat(Cidr.parse(text).message()).startsWith("'" + text + "'").contains(why);
    }

    @ParameterizedTest(name = "{0} spans {1}..{2}, {3} addresses")
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0, 10.255.255.255, 16777216",
            "0.0.0.0/0, 0.0.0.0, 255.255.255.255, 4294967296",
            "192.0.2.7/32, 192.0.2.7, 192.0.2.7, 1",
            "2001:db8::/126, 2001:db8::, 2001:db8::3, 4",
    })
    void boundsAndSize(String cidr, String first, String last, String size) {
        Cidr c = Cidr.parse(cidr).orElseThrow();
        assertThat(c.first().text()).isEqualTo(first);
        assertThat(c.last().text()).isEqualTo(last);
        assertThat(c.size()).isEqualTo(new BigInteger(size));
    }

    @Test
    void defaultRoutesSplitIntoTwoHalvesForIpset() {
        assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().ipsetMembers()).map(Cidr::text)
                .containsExactly("0.0.0.0/1", "128.0.0.0/1");
        assertThat(Cidr.parse("::/0").orElseThrow().ipsetMembers()).map(Cidr::text)
                .containsExactly("::/1", "8000::/1");
        assertThat(Cidr.parse("10.0.0.0/8").orElseThrow().ipsetMembers()).map(Cidr::text).containsExactly("10.0.0.0/8");
    }

    @Test
    void containmentAndOverlap() {
        Cidr big = Cidr.parse("10.0.0.0/8").orElseThrow();
        Cidr small = Cidr.parse("10.1.0.0/16").orElseThrow();
        Cidr other = Cidr.parse("11.0.0.0/8").orElseThrow();
        Cidr v6 = Cidr.parse("::/0").orElseThrow();
        assertThat(big.contains(small)).isTrue();
        assertThat(small.contains(big)).isFalse();
        assertThat(small.overlaps(big)).isTrue();
        assertThat(big.overlaps(other)).isFalse();
        assertThat(v6.overlaps(big)).isFalse();
        assertThat(big.contains(IpAddress.parse("10.9.9.9").orElseThrow())).isTrue();
    }

    @Test
    void bareAddressesAreHostRoutesWhereIpsetPrintsThemSo() {
        assertThat(Cidr.parseAddressOrCidr("192.0.2.1").orElseThrow().text()).isEqualTo("192.0.2.1/32");
        assertThat(Cidr.parseAddressOrCidr("2001:db8::1").orElseThrow().text()).isEqualTo("2001:db8::1/128");
        assertThat(Cidr.parseAddressOrCidr("192.0.2.0/24").orElseThrow().text()).isEqualTo("192.0.2.0/24");
    }

    @Test
    void interfaceAddressesKeepTheirHostBits() {
        InterfaceAddress a = InterfaceAddress.parse("172.31.0.10/16").orElseThrow();
        assertThat(a.text()).isEqualTo("172.31.0.10/16");
        assertThat(a.network().text()).isEqualTo("172.31.0.0/16");
        assertThat(InterfaceAddress.parse("172.31.0.10").isOk()).isFalse();
        assertThat(InterfaceAddress.parse("172.31.0.10/40").message()).contains("invalid prefix length");
    }
}
