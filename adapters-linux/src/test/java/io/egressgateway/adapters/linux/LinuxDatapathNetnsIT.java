package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.application.port.out.ApplyDatapathPort.ApplyReport;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The adapter against real namespaces: apply, observe, idempotence, drift, traffic, GARP, cleanup. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinuxDatapathNetnsIT {
    private static Netns netns;
    private static TwoNodeTopology topo;
    private static LinuxDatapath dp1;
    private static LinuxDatapath dp2;
    private static String foreignBefore1;
    private static String foreignBefore2;

    @BeforeAll
    static void setUp() {
        Netns.assumeRoot();
        netns = new Netns();
        topo = new TwoNodeTopology(netns);
        for (String node : new String[] {topo.node1, topo.node2}) {
            exec(node, "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", TwoNodeTopology.POD_CIDR, "!", "-d",
                    TwoNodeTopology.POD_CIDR, "-j", "MASQUERADE");
            exec(node, "iptables", "-A", "FORWARD", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP");
            exec(node, "iptables", "-N", "FOREIGN-CHAIN");
            exec(node, "iptables", "-A", "FOREIGN-CHAIN", "-j", "RETURN");
            exec(node, "ip", "route", "add", "192.0.2.0/25", "dev", "eth0", "table", "100");
            exec(node, "ip", "rule", "add", "pref", "1000", "fwmark", "0x26000001", "lookup", "100");
            exec(node, "ipset", "create", "foreign-set", "hash:ip");
            exec(node, "ipset", "add", "foreign-set", "192.0.2.1");
        }
        foreignBefore1 = foreign(topo.node1);
        foreignBefore2 = foreign(topo.node2);
        dp1 = LinuxDatapath.open(Optional.of(topo.node1), IptablesBackend.AUTO);
        dp2 = LinuxDatapath.open(Optional.of(topo.node2), IptablesBackend.AUTO);
    }

    @AfterAll
    static void tearDown() {
        if (dp1 != null) {
            dp1.close();
        }
        if (dp2 != null) {
            dp2.close();
        }
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    @Order(1)
    void appliedDatapathsObserveBackEqualAndASecondPassDoesNothing() {
        // a stale neighbour entry for the EIP on the external host: the gratuitous ARP must correct it
        exec(topo.ext, "ip", "neigh", "replace", TwoNodeTopology.EIP, "lladdr", "02:00:00:00:00:99", "dev", "eth0",
                "nud", "stale");
        for (var pair : List.of(List.of(dp1, Fixtures.node1()), List.of(dp2, Fixtures.node2()))) {
            LinuxDatapath dp = (LinuxDatapath) pair.get(0);
            Datapath desired = (Datapath) pair.get(1);
            List<DatapathOp> ops = DatapathDiff.between(desired, dp.observePort().observe(Fixtures.SCOPE));
            ApplyReport report = dp.applyPort().apply(ops);
            assertThat(report.failures()).isEmpty();
            Datapath observed = dp.observePort().observe(Fixtures.SCOPE);
            assertThat(DatapathDiff.between(desired, observed)).as(observed.render()).isEmpty();
            assertThat(dp.applyPort().apply(DatapathDiff.between(desired, observed)).applied()).isZero();
        }
        assertThat(dp1.effectiveRpFilter(Fixtures.TUN)).isEqualTo(2);
    }

    @Test
    @Order(0)
    void nodeFactsComeFromTheNodesNamespace() {
        NodeFacts facts = dp2.nodeFactsPort().read();
        InterfaceFacts eth0 = facts.find("eth0").orElseThrow();
        assertThat(eth0.ipv4()).containsExactly(TwoNodeTopology.NODE2_IP + "/24");
        assertThat(eth0.mac()).isEqualTo(TwoNodeTopology.mac(topo.node2, "eth0"));
        assertThat(eth0.mtu()).isEqualTo(1500);
        assertThat(facts.defaultRouteDeviceV4()).isEqualTo("eth0");
        assertThat(facts.defaultRouteDeviceV6()).isNull();
        assertThat(dp1.nodeFactsPort().read().find("pod1")).isPresent();
    }

    @Test
    @Order(2)
    void takingOverTheEipSendsGratuitousArp() {
        dp2.lastAnnouncement().join();
        String gatewayMac = TwoNodeTopology.mac(topo.node2, "eth0");
        Netns.await("external host's neighbour entry for the EIP to name node2's MAC " + gatewayMac, 5000,
                () -> exec(topo.ext, "ip", "neigh", "show", TwoNodeTopology.EIP, "dev", "eth0").contains(gatewayMac));
    }

    @Test
    @Order(3)
    void podTrafficLeavesThroughTheTunnelAndIsSnatedToTheEip() throws Exception {
        assertThat(connectFromPod()).isEqualTo(TwoNodeTopology.EIP);
        assertThat(exec(topo.node2, "conntrack", "-L", "-p", "tcp", "--dport", "7000"))
                .contains("src=" + TwoNodeTopology.POD1_IP).contains("dst=" + TwoNodeTopology.EIP);
        // the connection carries node1's reply tag: deleting by that mark removes it, and nothing else
        assertThat(dp2.deleteConnections(Family.IPV4, Fixtures.MARK2, 0xffffffffL)).isZero();
        assertThat(dp2.deleteConnectionsPort().deleteConnections(new ConnectionPin(Family.IPV4, Fixtures.MARK1, 0xffffffffL)))
                .isPositive();
        assertThat(exec(topo.node2, "conntrack", "-L", "-p", "tcp", "--dport", "7000"))
                .doesNotContain("src=" + TwoNodeTopology.POD1_IP);
    }

    @Test
    @Order(4)
    void driftIsRepairedExactly() {
        String iptables = dp2.iptablesBackend() == IptablesBackend.LEGACY ? "iptables-legacy" : "iptables-nft";
        exec(topo.node2, iptables, "-t", "mangle", "-F", "EGRESSGATEWAY-REPLY-ROUTING");
        exec(topo.node1, "ip", "rule", "del", "pref", "99");
        List<DatapathOp> ops2 = DatapathDiff.between(Fixtures.node2(), dp2.observePort().observe(Fixtures.SCOPE));
        List<DatapathOp> ops1 = DatapathDiff.between(Fixtures.node1(), dp1.observePort().observe(Fixtures.SCOPE));
        assertThat(ops2).extracting(op -> op.action() + " " + op.object().key())
                .containsExactly("REPLACE v4 mangle EGRESSGATEWAY-REPLY-ROUTING");
        assertThat(ops1).extracting(op -> op.action() + " " + op.object().key())
                .containsExactly("ADD v4 99 0x26000002/0xffffffff");
        assertThat(dp2.applyPort().apply(ops2).ok()).isTrue();
        assertThat(dp1.applyPort().apply(ops1).ok()).isTrue();
        assertThat(DatapathDiff.between(Fixtures.node2(), dp2.observePort().observe(Fixtures.SCOPE))).isEmpty();
        assertThat(DatapathDiff.between(Fixtures.node1(), dp1.observePort().observe(Fixtures.SCOPE))).isEmpty();
    }

    @Test
    @Order(5)
    void badInputIsNamedAndTheRestStillApplied() {
        String bad = netns.add("bad");
        exec(bad, "ip", "link", "add", "fvx", "type", "vxlan", "id", "100", "dstport", "7789", "local", "127.0.0.1");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(bad), IptablesBackend.AUTO)) {
            TunnelLink noParent = new TunnelLink(Fixtures.TUN, Family.IPV4, 100, 7789, "eth9", "127.0.0.1",
                    Fixtures.MAC1, 1450);
            TunnelLink taken = new TunnelLink("egress-vxlan-v6", Family.IPV4, 100, 7789, "lo", "127.0.0.1",
                    Fixtures.MAC2, 1450);
            IpSet fine = new IpSet("egress-src-v4-ok", Family.IPV4, List.of("192.0.2.1/32"));
            ApplyReport report = dp.applyPort().apply(List.of(DatapathOp.add(noParent), DatapathOp.add(taken),
                    DatapathOp.add(fine)));
            assertThat(report.applied()).isEqualTo(1);
            assertThat(report.failures()).extracting(f -> f.reason()).satisfiesExactly(
                    r -> assertThat(r).contains("interface eth9 does not exist"),
                    r -> assertThat(r).contains("VNI 100 on UDP port 7789 is already in use by device [fvx]"));
            assertThat(exec(bad, "ipset", "list", "-n")).contains("egress-src-v4-ok");
            assertThat(exec(bad, "ip", "-o", "link", "show")).contains("fvx").doesNotContain("egress-vxlan");
        }
    }

    @Test
    @Order(5)
    void missingToolsAreNamedWithTheirPackageAndNetlinkWorkStillHappens() {
        String bare = netns.add("bare");
        System.setProperty(ProcessRunner.PATH_PROPERTY, "/nonexistent");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(bare), IptablesBackend.AUTO)) {
            TunnelLink link = new TunnelLink(Fixtures.TUN, Family.IPV4, 100, 7789, "lo", "127.0.0.1", Fixtures.MAC1, 1450);
            IpSet set = new IpSet("egress-src-v4-ok", Family.IPV4, List.of("192.0.2.1/32"));
            ApplyReport report = dp.applyPort().apply(List.of(DatapathOp.add(link), DatapathOp.add(set),
                    DatapathOp.add(Fixtures.chain("nat", "EGRESSGATEWAY-SNAT-EIP", "-j RETURN"))));
            assertThat(report.applied()).isEqualTo(1);
            assertThat(report.failures()).extracting(f -> f.reason()).satisfiesExactly(
                    r -> assertThat(r).contains("ipset binary not found").contains("apt-get install ipset"),
                    r -> assertThat(r).contains("binary not found").contains("apt-get install iptables"));
            assertThat(dp.observePort().observe(Fixtures.SCOPE).ofKind(Kind.LINK)).containsExactly(link);
        } finally {
            System.clearProperty(ProcessRunner.PATH_PROPERTY);
        }
    }

    @Test
    @Order(6)
    void cleanupLeavesNothingOwnedAndForeignObjectsSurvive() {
        for (LinuxDatapath dp : List.of(dp1, dp2)) {
            assertThat(dp.cleanup(Fixtures.SCOPE).failures()).isEmpty();
            Datapath left = dp.observePort().observe(Fixtures.SCOPE);
            assertThat(left.objects()).allMatch(o -> o.kind() == Kind.SYSCTL, left.render());
        }
        assertThat(exec(topo.node2, "ip", "neigh", "show", "proxy")).doesNotContain(TwoNodeTopology.EIP);
        assertThat(exec(topo.node2, "ip", "route", "show", TwoNodeTopology.EIP)).isBlank();
        assertThat(foreign(topo.node1)).isEqualTo(foreignBefore1);
        assertThat(foreign(topo.node2)).isEqualTo(foreignBefore2);
    }

    @Test
    @Order(7)
    void theMachinesOwnNamespaceHoldsNothingOfOurs() {
        assertThat(Netns.run(List.of("ip", "-o", "link", "show"))).doesNotContain("egress-vxlan");
        assertThat(Netns.run(List.of("ipset", "list", "-n"))).doesNotContain("egress-");
        for (String save : List.of("iptables-nft-save", "iptables-legacy-save", "ip6tables-nft-save")) {
            assertThat(Netns.run(List.of(save))).doesNotContain("egw:").doesNotContain("EGRESSGATEWAY-");
        }
        assertThat(Netns.run(List.of("ip", "neigh", "show", "proxy"))).doesNotContain(TwoNodeTopology.EIP);
    }

    /** The foreign objects of a node, as text to compare before and after. */
    private static String foreign(String node) {
        String rules = exec(node, "iptables-save").lines()
                .filter(l -> l.startsWith("-A") || l.startsWith(":FOREIGN")).filter(l -> !l.contains("egw:"))
                .reduce("", (a, b) -> a + b + "\n");
        return rules + exec(node, "ip", "route", "show", "table", "100") + exec(node, "ip", "rule", "show")
                + exec(node, "ipset", "list", "foreign-set").replaceAll("(?m)^(Size in memory|References).*$", "");
    }

    private String connectFromPod() throws Exception {
        try (NetnsExecutor server = NetnsExecutor.open(Optional.of(topo.ext), "ext-server");
             NetnsExecutor client = NetnsExecutor.open(Optional.of(topo.pod1), "pod1-client")) {
            ServerSocket listener = server.call(() -> new ServerSocket(7000, 5,
                    java.net.InetAddress.getByName(TwoNodeTopology.EXT_IP)));
            try (listener) {
                server.submit(() -> {
                    try (Socket s = listener.accept();
                         PrintWriter w = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                        w.println(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                return client.call(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(TwoNodeTopology.EXT_IP, 7000), 5000);
                        s.setSoTimeout(5000);
                        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                                .readLine();
                    }
                });
            }
        }
    }
}
