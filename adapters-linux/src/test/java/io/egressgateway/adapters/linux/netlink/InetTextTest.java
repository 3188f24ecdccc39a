package io.egressgateway.adapters.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InetTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "FE80:0:0:0:0:0:0:0, fe80::",
            "2001:DB8::A, 2001:db8::a",
            "192.0.2.7, 192.0.2.7",
    })
    void canonicalTextFollowsRfc5952(String in, String out) {
        assertThat(InetText.canonical(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"10.0.0.1, 10.0.0.1/32", "2001:db8::1, 2001:db8::1/128", "2001:DB8:0::/48, 2001:db8::/48",
            "172.31.0.10/16, 172.31.0.10/16"})
    void cidrsAlwaysCarryAPrefix(String in, String out) {
        assertThat(InetText.canonicalCidr(in)).isEqualTo(out);
    }

    @Property
    void formattingRoundTripsAndIsWhatTheJdkParses(@ForAll @Size(16) byte[] address) throws Exception {
        String text = InetText.format(address);
        assertThat(InetText.parse(text)).isEqualTo(address);
        assertThat(InetAddress.getByName(text).getAddress()).isEqualTo(address);
        assertThat(InetText.canonical(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"example.com", "10.0.0", "1.2.3.4.5", "''", "1.2.3.256", "1..2.3", "1.2.3.4.", "::g", "1.2.3.-4"})
    void hostNamesAndJunkAreRejectedWithoutALookup(String junk) {
        assertThatThrownBy(() -> InetText.parse(junk)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an");
    }

    @ParameterizedTest
    @CsvSource({"02:AB:cd:00:00:01, 02:ab:cd:00:00:01"})
    void macsAreLowercase(String in, String out) {
        assertThat(InetText.mac(InetText.parseMac(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"198.51.100.0/24, 198.51.100.77, true", "198.51.100.0/24, 198.51.101.1, false",
            "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 192.0.2.1, false", "0.0.0.0/0, 8.8.8.8, true"})
    void cidrContainment(String cidr, String ip, boolean inside) {
        assertThat(InetText.cidr(cidr).contains(InetText.parse(ip))).isEqualTo(inside);
    }
}
