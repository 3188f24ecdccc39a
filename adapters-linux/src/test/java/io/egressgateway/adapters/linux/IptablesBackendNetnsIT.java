package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The backend the node already uses is the one written to; the other one stays untouched. */
class IptablesBackendNetnsIT {
    @RegisterExtension
    static final NetnsExtension netns = new NetnsExtension();

    static Datapath small() {
        return Datapath.of(List.of(
                new IpSet(Fixtures.SRC, Family.IPV4, List.of("198.51.100.2/32")),
                Fixtures.chain("nat", "EGRESSGATEWAY-SNAT-EIP",
                        "-m set --match-set " + Fixtures.SRC + " src -j SNAT --to-source 192.0.2.200"),
                Fixtures.jump("nat", "POSTROUTING", 1, "-j EGRESSGATEWAY-SNAT-EIP"),
                Fixtures.jump("filter", "FORWARD", 1, Fixtures.OURS + " -j ACCEPT")));
    }

    @Test
    void aNodeWithKubeProxyOnLegacyGetsLegacyRules() {
        String ns = netns.add("legacy");
        exec(ns, "iptables-legacy", "-t", "nat", "-N", "KUBE-SERVICES");
        exec(ns, "iptables-legacy", "-t", "nat", "-A", "PREROUTING", "-j", "KUBE-SERVICES");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.AUTO)) {
            assertThat(dp.iptablesBackend()).isEqualTo(IptablesBackend.LEGACY);
            assertThat(dp.applyPort().apply(DatapathDiff.between(small(), dp.observePort().observe(Fixtures.SCOPE)))
                    .failures()).isEmpty();
            assertThat(DatapathDiff.between(small(), dp.observePort().observe(Fixtures.SCOPE))).isEmpty();
            assertThat(exec(ns, "iptables-legacy-save")).contains("egw:").contains("-A PREROUTING -j KUBE-SERVICES");
            assertThat(exec(ns, "iptables-nft-save")).doesNotContain("egw:");
            assertThat(dp.cleanup(Fixtures.SCOPE).failures()).isEmpty();
            assertThat(exec(ns, "iptables-legacy-save")).doesNotContain("egw:").doesNotContain("EGRESSGATEWAY")
                    .contains("-A PREROUTING -j KUBE-SERVICES");
        }
    }

    @Test
    void anExplicitBackendIsUsedAsConfigured() {
        String ns = netns.add("nft");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT)) {
            assertThat(dp.iptablesBackend()).isEqualTo(IptablesBackend.NFT);
            assertThat(dp.applyPort().apply(DatapathDiff.between(small(), Datapath.empty())).failures()).isEmpty();
            assertThat(exec(ns, "iptables-nft-save")).contains("egw:");
            // applying the same additions again is no error and changes nothing
            assertThat(dp.applyPort().apply(DatapathDiff.between(small(), Datapath.empty())).failures()).isEmpty();
            assertThat(DatapathDiff.between(small(), dp.observePort().observe(Fixtures.SCOPE))).isEmpty();
        }
    }

    @Test
    void reAddingAnExistingTunnelKeepsItsAddresses() {
        String ns = netns.add("readd");
        TunnelLink link = new TunnelLink(Fixtures.TUN, Family.IPV4, 100, 7789, "lo", "127.0.0.1", Fixtures.MAC1, 1450);
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT)) {
            var address = new io.egressgateway.domain.datapath.LinkAddress(Fixtures.TUN, "203.0.113.1/24");
            assertThat(dp.applyPort().apply(List.of(DatapathOp.add(link), DatapathOp.add(address))).ok()).isTrue();
            assertThat(dp.applyPort().apply(List.of(DatapathOp.add(link))).ok()).isTrue();
            Datapath seen = dp.observePort().observe(Fixtures.SCOPE);
            assertThat(seen.ofKind(Kind.ADDRESS)).containsExactly(address);
            assertThat(seen.ofKind(Kind.LINK)).containsExactly(link);
        }
    }

    @Test
    void anIpv6UnderlayTunnelObservesBackEqual() {
        String ns = netns.add("v6");
        exec(ns, "ip", "link", "add", "ul0", "type", "veth", "peer", "name", "ul1");
        exec(ns, "ip", "link", "set", "ul0", "up");
        exec(ns, "ip", "-6", "addr", "add", "2001:db8:1::11/64", "dev", "ul0", "nodad");
        TunnelLink link = new TunnelLink("egress-vxlan-v6", Family.IPV6, 100, 7789, "ul0", "2001:db8:1::11",
                Fixtures.MAC1, 1430);
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT)) {
            Datapath want = Datapath.of(List.of(link,
                    new io.egressgateway.domain.datapath.LinkAddress("egress-vxlan-v6", "2001:db8:ff::1/64"),
                    new io.egressgateway.domain.datapath.FdbEntry("egress-vxlan-v6", Fixtures.MAC2, "2001:db8:1::12")));
            assertThat(dp.applyPort().apply(DatapathDiff.between(want, Datapath.empty())).failures()).isEmpty();
            Datapath seen = dp.observePort().observe(Fixtures.SCOPE);
            assertThat(DatapathDiff.between(want, seen)).as(seen.render()).isEmpty();
        }
    }
}
