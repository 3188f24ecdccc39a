package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddrTest {
    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1,                    2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1,                    2001:db8:0:1:1:1:1:1",
        "::,                                      ::",
        "::1,                                     ::1",
        "FD11::A,                                 fd11::a",
        "::ffff:192.0.2.1,                        ::ffff:192.0.2.1",
    })
    void canonicalText(String in, String out) {
        assertThat(Addr.canonical(in)).isEqualTo(out);
    }

    @Test
    void leadingZerosAreRefusedLikeEverywhereElseBecauseSomeToolsReadThemAsOctal() {
        // the planner parses with net.IpAddress, the parser vetting, the controller and admission use
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Addr.canonical("010.001.002.003"))
                .hasMessageContaining("010.001.002.003");
    }

    @Test
    void hostsGetAnExplicitPrefixAndHostBitsAreCleared() {
        assertThat(Addr.members("10.0.0.1")).containsExactly("10.0.0.1/32");
        assertThat(Addr.members("2001:db8::1")).containsExactly("2001:db8::1/128");
        assertThat(Addr.members("10.6.1.5/24")).containsExactly("10.6.1.0/24");
    }

    @Test
    void theWholeSpaceIsSplitIntoTwoHalvesBecauseHashNetRejectsAZeroPrefix() {
        assertThat(Addr.members("0.0.0.0/0")).containsExactly("0.0.0.0/1", "128.0.0.0/1");
        assertThat(Addr.members("::/0")).containsExactly("::/1", "8000::/1");
    }

    @Test
    void aRangeBecomesTheCidrsThatCoverItExactly() {
        assertThat(Addr.members("198.51.100.10-198.51.100.20"))
                .containsExactly("198.51.100.10/31", "198.51.100.12/30", "198.51.100.16/30", "198.51.100.20/32");
        assertThat(Addr.members("2001:db8::-2001:db8::ff")).containsExactly("2001:db8::/120");
    }

    @Test
    void containment() {
        assertThat(Addr.net("198.51.100.11/24").contains(Addr.parse("198.51.100.200"))).isTrue();
        assertThat(Addr.net("198.51.100.11/24").contains(Addr.parse("198.51.101.1"))).isFalse();
        assertThat(Addr.net("2001:db8:100::1/64").contains(Addr.parse("2001:db8:100::10"))).isTrue();
    }

    @Test
    void badInputNamesTheTextAndWhy() {
        for (String bad : List.of("10.0.0.256", "10.0.0", "host.example", "1::2::3", "2001:db8::/129", "10.0.0.0/x")) {
            assertThatThrownBy(() -> Addr.net(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> Addr.members("10.0.0.9-10.0.0.1")).hasMessageContaining("starts after it ends");
    }
}
