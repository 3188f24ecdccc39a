package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.ipset.IpsetDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesTool;
import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cheap read-back of netfilter state: ipsets by a netlink dump read exactly what {@code ipset
 * save} prints (families, prefixes, empty sets, a set too large for one message, foreign sets left
 * out), and the nft backend's save is reused while the nf_tables generation stands still but taken
 * again after any commit, so a rule deleted by hand is still observed as missing.
 */
class NetfilterReadBackNetnsIT {
    @RegisterExtension
    static final NetnsExtension netns = new NetnsExtension();

    @Test
    void theNetlinkDumpReadsWhatIpsetSavePrints() throws Exception {
        String ns = netns.add("ipsetnl");
        StringBuilder restore = new StringBuilder("""
                create egress-src-v4-a hash:net family inet
                add egress-src-v4-a 10.0.0.1
                add egress-src-v4-a 10.1.0.0/16
                add egress-src-v4-a 128.0.0.0/1
                create egress-dst-v6-b hash:net family inet6
                add egress-dst-v6-b 2001:db8::1
                add egress-dst-v6-b 2001:db8:1::/48
                create egress-empty hash:net family inet
                create foreign hash:net family inet
                add foreign 192.0.2.0/24
                create egress-big hash:net family inet maxelem 65536
                """);
        for (int i = 0; i < 5000; i++) {
            restore.append("add egress-big 10.").append(100 + i / 250).append('.').append(i % 250).append(".0/")
                    .append(24 + i % 9).append('\n');
        }
        Path file = Files.createTempFile("egw-ipset", ".txt");
        try {
            Files.writeString(file, restore.toString());
            exec(ns, "ipset", "restore", "-file", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "egw-test-ipsetnl");
             IpsetDatapath ipset = new IpsetDatapath()) {
            List<IpSet> byNetlink = e.call(() -> ipset.observeByNetlink("egress-"));
            List<IpSet> bySave = IpsetDatapath.parse(exec(ns, "ipset", "save"), "egress-");
            assertThat(byNetlink).containsExactlyInAnyOrderElementsOf(bySave);
            assertThat(byNetlink).extracting(IpSet::name)
                    .containsExactlyInAnyOrder("egress-src-v4-a", "egress-dst-v6-b", "egress-empty", "egress-big");
            assertThat(byNetlink).filteredOn(s -> s.name().equals("egress-big")).singleElement()
                    .satisfies(s -> assertThat(s.members()).hasSize(5000));
            assertThat(byNetlink).filteredOn(s -> s.name().equals("egress-src-v4-a")).singleElement()
                    .satisfies(s -> assertThat(s.members()).containsExactly("10.0.0.1/32", "10.1.0.0/16", "128.0.0.0/1"));
        }
    }

    @Test
    void theNftSaveIsReusedUntilSomeoneCommitsAndDriftIsStillSeen() {
        String ns = netns.add("nftgen");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT)) {
            Datapath want = IptablesBackendNetnsIT.small();
            assertThat(dp.applyPort().apply(DatapathDiff.between(want, Datapath.empty())).failures()).isEmpty();
        }
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "egw-test-nftgen")) {
            IptablesDatapath ipt = e.call(() -> new IptablesDatapath(new IptablesTool(IptablesBackend.NFT)));
            try {
                List<DatapathObject> first = e.call(() -> ipt.observe(Fixtures.SCOPE));
                assertThat(first).filteredOn(o -> o.kind() == Kind.IPTABLES_JUMP).hasSize(2);
                assertThat(ipt.saves()).as("one save per family").isEqualTo(2);
                List<DatapathObject> again = e.call(() -> ipt.observe(Fixtures.SCOPE));
                assertThat(again).isEqualTo(first);
                assertThat(ipt.saves()).as("nothing committed: no new save").isEqualTo(2);

                // our jump is the only rule of FORWARD in this fresh namespace
                exec(ns, "iptables-nft", "-t", "filter", "-D", "FORWARD", "1");

                List<DatapathObject> afterDrift = e.call(() -> ipt.observe(Fixtures.SCOPE));
                assertThat(ipt.saves()).as("a commit by someone else: saved again").isEqualTo(4);
                assertThat(afterDrift).filteredOn(o -> o.kind() == Kind.IPTABLES_JUMP).hasSize(1);
            } finally {
                e.run(ipt::close);
            }
        }
    }
}
