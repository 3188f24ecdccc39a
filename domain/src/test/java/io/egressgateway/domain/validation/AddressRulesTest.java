package io.egressgateway.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRulesTest {
    private static final NetworkContext NET = new NetworkContext(List.of("192.0.2.11", "192.0.2.12"),
            List.of("10.96.0.0/12"), List.of("192.0.2.1"), 16, 64);

    private static Gateway gateway(String v4, String v6) {
        return new Gateway("gw", 1, LabelSelector.of(Map.of("egress", "true")),
                new IpPools(v4 == null ? List.of() : List.of(v4), v6 == null ? List.of() : List.of(v6), null, null),
                false, null);
    }

    @ParameterizedTest(name = "pool {0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0/0           | more than a /16",
        "10.0.0.0/8          | more than a /16",
        "169.254.169.254     | is link-local (169.254.0.0/16), which can never be an EIP",
        "169.254.0.0/24      | link-local",
        "127.0.0.1           | loopback",
        "224.0.0.5           | multicast",
        "0.0.0.0             | the unspecified address",
        "192.0.2.11          | node address 192.0.2.11",
        "192.0.2.0/24        | contains node address 192.0.2.11",
        "192.0.2.1           | cluster.protectedIPs",
    })
    void dangerousV4PoolEntriesAreRefusedNamingTheFieldAndTheValue(String entry, String why) {
        List<Violation> v = GatewayValidator.content(gateway(entry, null), NET);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("spec.ippools.ipv4[0]");
            assertThat(x.value()).isEqualTo(entry);
            assertThat(x.message()).contains(why);
        });
    }

    @ParameterizedTest(name = "pool {0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "::/0        | more than a /64",
        "fe80::1     | link-local",
        "::1         | loopback",
        "ff02::1     | multicast",
        "::          | the unspecified address",
    })
    void dangerousV6PoolEntriesAreRefused(String entry, String why) {
        assertThat(GatewayValidator.content(gateway(null, entry), NET)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains(why));
    }

    @ParameterizedTest(name = "pool {0} is fine")
    @CsvSource({"192.0.2.200-192.0.2.210", "198.51.100.0/24", "10.6.0.0/16"})
    void ordinaryPoolsPass(String entry) {
        assertThat(GatewayValidator.content(gateway(entry, null), NET)).isEmpty();
    }

    @ParameterizedTest(name = "destCIDR {0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0/0       | leave destCIDR empty",
        "::/0            | leave destCIDR empty",
        "169.254.0.0/16  | link-local",
        "169.254.169.254/32 | link-local",
        "10.96.0.0/16    | service CIDR 10.96.0.0/12",
        "10.0.0.0/8      | service CIDR 10.96.0.0/12",
        "0.0.0.0/1       | the unspecified address",
        "10.0.0.0/33     | invalid prefix length",
        "300.1.1.1/8     | is not a CIDR",
    })
    void dangerousOrBrokenDestinationsAreRefusedByContentAlone(String cidr, String why) {
        Policy p = new Policy("p", 1, "gw", new AppliedTo(LabelSelector.of(Map.of("a", "b")), null, null),
                List.of(cidr), null, 0, null);
        assertThat(PolicyValidator.content(p, NET)).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("spec.destCIDR[0]");
            assertThat(x.value()).isEqualTo(cidr);
            assertThat(x.message()).contains(why);
        });
        assertThat(PolicyValidator.validate(p, Optional.empty(), List.of(gateway("192.0.2.200", null)), NET))
                .extracting(Violation::field).contains("spec.destCIDR[0]");
    }

    @ParameterizedTest(name = "podSubnet {0} is refused")
    @CsvSource({"0.0.0.0/0", "10.96.0.0/24", "fe80::/64"})
    void dangerousPodSubnetsAreRefused(String cidr) {
        Policy p = new Policy("p", 1, "gw", new AppliedTo(null, null, List.of(cidr)), List.of("192.0.2.100/32"), null,
                0, null);
        assertThat(PolicyValidator.content(p, NET)).extracting(Violation::field)
                .containsExactly("spec.appliedTo.podSubnet[0]");
    }

    @org.junit.jupiter.api.Test
    void anUnknownOperatorIsNamedWithItsValue() {
        LabelSelector sel = new LabelSelector(Map.of(), List.of(LabelSelector.Requirement.parse("zone", "in",
                List.of("a"))));
        Policy p = new Policy("p", 1, "gw", new AppliedTo(sel, null, null), List.of(), null, 0, null);
        assertThat(PolicyValidator.content(p, NET)).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("spec.appliedTo.podSelector.matchExpressions[0].operator");
            assertThat(x.value()).isEqualTo("in");
            assertThat(x.message()).contains("In, NotIn, Exists, DoesNotExist");
        });
        assertThat(sel.matches(Map.of("zone", "a"))).as("an unknown operator matches nothing").isFalse();
    }
}
