package io.egressgateway.domain.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} is printed canonically as {1}")
    @CsvSource({
            "192.0.2.10, 192.0.2.10",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "2001:DB8::1, 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "fd00:6::10, fd00:6::10",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "2001:db8::, 2001:db8::",
            "::ffff:192.0.2.1, ::ffff:192.0.2.1",
            "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
    })
    void canonicalText(String input, String expected) {
        assertThat(IpAddress.parse(input).orElseThrow().text()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is rejected because it {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.256|is not an IPv4 address",
            "10.0.0|is not an IPv4 address",
            "10.0.0.01|is not an IPv4 address",
            "10.0.0.1.2|is not an IPv4 address",
            "10.0.0.1/32|is a CIDR",
            "' 10.0.0.1'|contains whitespace",
            "''|is empty",
            "fe80::1%eth0|has a zone id",
            "1::2::3|may appear only once",
            "1:2:3:4:5:6:7|has 7 groups",
            "1:2:3:4:5:6:7:8:9|has 9 groups",
            "1:2:3:4:5:6:7::8|has 8 groups",
            "12345::|is not an IPv6 address",
            "g::1|is not an IPv6 address",
            "1.2.3.4::|embedded IPv4 part must come last",
            ":1::|is not an IPv6 address",
            "host.example|is not an IPv4 address",
    })
    void badInputIsAnErrorValueNamingTheText(String input, String why) {
        Parsed<IpAddress> p = IpAddress.parse(input);
        assertThat(p.isOk()).isFalse();
        assertThat(p.message()).contains("'" + input + "'").contains(why);
    }

    @Test
    void familyIsCheckedWhenAsked() {
        assertThat(IpAddress.parse("2001:db8::1", Family.IPV4).message())
                .isEqualTo("'2001:db8::1' is an IPv6 address, expected IPv4");
        assertThat(IpAddress.parse("192.0.2.1", Family.IPV4).isOk()).isTrue();
    }

    @Test
    void nextAndPrevStopAtTheEndsOfTheAddressSpace() {
        IpAddress top = IpAddress.parse("255.255.255.255").orElseThrow();
        assertThat(top.next()).isEmpty();
        assertThat(top.prev().orElseThrow().text()).isEqualTo("255.255.255.254");
        assertThat(IpAddress.parse("::").orElseThrow().prev()).isEmpty();
        assertThat(IpAddress.parse("::ffff").orElseThrow().next().orElseThrow().text()).isEqualTo("::1:0");
        assertThat(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").orElseThrow().next()).isEmpty();
    }

    @Test
    void ipv4SortsBeforeIpv6AndValuesAreUnsigned() {
        IpAddress high = IpAddress.parse("200.0.0.1").orElseThrow();
        IpAddress low = IpAddress.parse("10.0.0.1").orElseThrow();
        IpAddress v6 = IpAddress.parse("::").orElseThrow();
        assertThat(low).isLessThan(high);
        assertThat(high).isLessThan(v6);
        assertThat(high.value()).isEqualTo(BigInteger.valueOf(0xc8000001L));
    }
}
