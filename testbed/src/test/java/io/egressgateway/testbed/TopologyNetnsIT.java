package io.egressgateway.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.echo.EchoConnection;
import io.egressgateway.testbed.echo.EchoReply;
import io.egressgateway.testbed.netns.Netns;
import io.egressgateway.testbed.netns.RootNamespaceGuard;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole testbed built and torn down in network namespaces: the stage the end-to-end suite plays on. */
class TopologyNetnsIT {

    @TempDir
    Path tmp;

    private static TestbedOptions.Builder twoPods() {
        return TestbedOptions.builder().crdDir(Path.of("src/test/resources/crds"))
                .pod("shop", 1, Map.of("app", "shopping")).pod("other", "team-b", 2, Map.of("app", "other"));
    }

    @ParameterizedTest(name = "iptables {0}")
    @EnumSource(IptablesBackend.class)
    void aPodReachesTheExternalHostMasqueradedToItsNodeAndTeardownLeavesNothing(IptablesBackend backend)
            throws Exception {
        Root.assumeRoot();
        RootNamespaceGuard guard = RootNamespaceGuard.snapshot();
        String prefix;
        try (Testbed tb = Testbed.build(twoPods().backend(backend).build())) {
            prefix = tb.prefix();
            assertThat(prefix).matches("egw-[a-z0-9]{6}-");
            assertThat(Netns.list()).contains(tb.nodeNetns("node1"), tb.pod("shop").netns(), tb.externalNetns());

            EchoReply tcp = tb.pod("shop").request(tb.externalAddress(), tb.echoPort());
            EchoReply udp = tb.pod("other").requestUdp(tb.externalAddress(), tb.echoPort());

            assertThat(tcp.address()).as(tb.dumpDatapath("node1")).isEqualTo(tb.nodeAddress("node1"));
            assertThat(udp.address()).as(tb.dumpDatapath("node2")).isEqualTo(tb.nodeAddress("node2"));
            assertThat(tb.exec(tb.nodeNetns("node1"), backend.save(false)).stdout())
                    .contains("-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE")
                    .contains("--ctstate INVALID -j DROP");
            assertThat(tb.exec(tb.nodeNetns("node1"), "sysctl", "-n", "net.ipv4.conf.all.rp_filter").stdout().trim())
                    .isEqualTo("1");
        }
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
        guard.assertUnchanged();
    }

    @Test
    void podsReachEachOtherAcrossNodesWithoutNat() throws Exception {
        Root.assumeRoot();
        try (Testbed tb = Testbed.build(twoPods().build())) {
            try (var server = io.egressgateway.testbed.echo.EchoServer.start(tb.pod("other").netns(), 9000)) {
                EchoReply seen = tb.pod("shop").request(tb.pod("other").ipv4(), 9000);
                assertThat(seen.address()).as(tb.dumpAll()).isEqualTo(tb.pod("shop").ipv4());
            }
        }
    }

    @Test
    void dualStackPodsReachTheExternalHostOverIpv6() throws Exception {
        Root.assumeRoot();
        try (Testbed tb = Testbed.build(twoPods().dualStack(true).build())) {
            EchoReply seen = tb.pod("shop").request(tb.externalAddressV6(), tb.echoPort());
            assertThat(seen.address()).as(tb.dumpDatapath("node1")).isEqualTo(tb.nodeAddressV6("node1"));
            assertThat(tb.pod("shop").ipv6()).isEqualTo("fd00:10:244:1::a");
        }
    }

    @Test
    void nodeAndPodObjectsMatchTheNamespaces() throws Exception {
        Root.assumeRoot();
        try (Testbed tb = Testbed.build(twoPods().dualStack(true).build())) {
            Node n2 = tb.client().nodes().withName("node2").get();
            assertThat(n2.getMetadata().getLabels()).containsEntry("egress", "true");
            assertThat(n2.getSpec().getPodCIDRs()).containsExactly("10.244.2.0/24", "fd00:10:244:2::/64");
            assertThat(n2.getStatus().getAddresses()).anyMatch(a -> a.getType().equals("InternalIP")
                    && a.getAddress().equals(tb.nodeAddress("node2")));
            assertThat(n2.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready")
                    && c.getStatus().equals("True"));
            assertThat(tb.client().nodes().withName("node1").get().getMetadata().getLabels()).doesNotContainKey("egress");

            Pod other = tb.client().pods().inNamespace("team-b").withName("other").get();
            assertThat(other.getSpec().getNodeName()).isEqualTo("node2");
            assertThat(other.getStatus().getPhase()).isEqualTo("Running");
            assertThat(other.getStatus().getPodIPs()).extracting(ip -> ip.getIp())
                    .containsExactly(tb.pod("other").ipv4(), tb.pod("other").ipv6());
            String addrs = tb.exec(tb.pod("other").netns(), "ip", "-br", "addr", "show", "eth0").stdout();
            assertThat(addrs).contains(tb.pod("other").ipv4() + "/32").contains(tb.pod("other").ipv6() + "/128");

            Kubectl kubectl = Kubectl.admin(tb, Files.createDirectories(tmp.resolve("cache")));
            assertThat(kubectl.run("get", "pods", "-A", "-o", "name").stdout()).contains("pod/shop", "pod/other");
            assertThat(kubectl.run("get", "nodes", "-o", "name").stdout().lines()).hasSize(3);

            tb.setNodeReady("node2", false);
            assertThat(kubectl.run("get", "node", "node2").stdout()).containsPattern("node2\\s+NotReady");
            List<String> printed = tb.kubectlCommands();
            assertThat(printed).noneMatch(c -> c.contains("--validate=false"));
            var first = io.egressgateway.testbed.netns.ProcessRunner.run(List.of(printed.get(0).split(" ")));
            assertThat(first.stdout()).containsPattern("node2\\s+NotReady").contains("egress=true");
        }
    }

    @Test
    void aLongLivedConnectionKeepsItsFlowAndAManagedProcessIsStopped() throws Exception {
        Root.assumeRoot();
        try (Testbed tb = Testbed.build(twoPods().build())) {
            try (EchoConnection c = tb.pod("shop").connect(tb.externalAddress(), tb.echoPort())) {
                EchoReply first = c.request(Duration.ofSeconds(5));
                EchoReply second = c.request(Duration.ofSeconds(5));
                assertThat(second).isEqualTo(first);
            }
            ManagedProcess sleeper = tb.startProcess("sleeper", List.of("sleep", "300"), Map.of());
            assertThat(sleeper.isAlive()).isTrue();
            ManagedProcess inNode = tb.startProcessIn(tb.nodeNetns("node3"), "in-node", List.of("sleep", "300"), Map.of());
            assertThat(sleeper.stop(Duration.ofSeconds(5))).isNotZero();
            assertThat(sleeper.isAlive()).isFalse();
            assertThat(inNode.isAlive()).isTrue();
        }
    }
}
