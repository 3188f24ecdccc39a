package io.egressgateway.adapters.linux.ipset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpsetDatapathTest {

    @Test
    void savedSetsAreFilteredByPrefixAndMembersGetExplicitPrefixes() {
        String saved = """
                create egress-src-v4-a hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x4117ad62
                add egress-src-v4-a 10.0.0.1
                add egress-src-v4-a 10.1.0.0/16
                create foreign hash:ip family inet hashsize 1024 maxelem 65536
                add foreign 192.0.2.1
                create egress-dst-v6-b hash:net family inet6 hashsize 1024 maxelem 65536
                add egress-dst-v6-b 2001:DB8:0::1
                create egress-empty hash:net family inet hashsize 1024 maxelem 65536
                """;
        assertThat(IpsetDatapath.parse(saved, "egress-")).containsExactly(
                new IpSet("egress-src-v4-a", Family.IPV4, List.of("10.0.0.1/32", "10.1.0.0/16")),
                new IpSet("egress-dst-v6-b", Family.IPV6, List.of("2001:db8::1/128")),
                new IpSet("egress-empty", Family.IPV4, List.of()));
    }

    @Test
    void aMemberChangeIsOneAddOrDelNotARewrite() {
        IpSet before = new IpSet("egress-src-v4-a", Family.IPV4, List.of("10.0.0.1/32", "10.0.0.2/32"));
        IpSet after = new IpSet("egress-src-v4-a", Family.IPV4, List.of("10.0.0.2/32", "10.0.0.3/32"));
        assertThat(IpsetDatapath.build(List.of(DatapathOp.replace(before, after)))).isEqualTo("""
                create egress-src-v4-a hash:net family inet
                del egress-src-v4-a 10.0.0.1/32
                add egress-src-v4-a 10.0.0.3/32
                """);
    }

    @Test
    void deleteFlushesThenDestroys() {
        IpSet s = new IpSet("egress-dst-v6-b", Family.IPV6, List.of("2001:db8::/32"));
        assertThat(IpsetDatapath.build(List.of(DatapathOp.delete(s))))
                .isEqualTo("flush egress-dst-v6-b\ndestroy egress-dst-v6-b\n");
        assertThat(IpsetDatapath.build(List.of(DatapathOp.add(s))))
                .isEqualTo("create egress-dst-v6-b hash:net family inet6\nadd egress-dst-v6-b 2001:db8::/32\n");
    }

    @Test
    void badMembersAndNamesAreNamed() {
        assertThatThrownBy(() -> IpsetDatapath.build(List.of(DatapathOp.add(
                new IpSet("egress-x", Family.IPV4, List.of("0.0.0.0/0"))))))
                .hasMessageContaining("0.0.0.0/0").hasMessageContaining("two /1");
        assertThatThrownBy(() -> IpsetDatapath.build(List.of(DatapathOp.add(
                new IpSet("egress-" + "x".repeat(30), Family.IPV4, List.of())))))
                .hasMessageContaining("longer than 31");
    }
}
