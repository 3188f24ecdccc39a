package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.Kind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The EIP responder in a real kernel: a node namespace and an "upstream router" namespace on one
 * veth link. The router resolves the EIPs (ARP and NDP) to the node's MAC while the datapath is
 * open and announces them, and gets no answer once it is withdrawn or the datapath (the process,
 * in production) is gone; the node's own kernel never answers for them.
 */
class EipResponderNetnsIT {
    private static final String EIP4 = "192.0.2.200";
    private static final String EIP6 = "2001:db8::200";
    private Netns netns;
    private String node;
    private String router;
    private LinuxDatapath dp;
    private NetnsExecutor asker;

    @BeforeEach
    void setUp() {
        Netns.assumeRoot();
        netns = new Netns();
        node = netns.add("node");
        router = netns.add("router");
        exec(node, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", router);
        exec(node, "ip", "addr", "add", "192.0.2.1/24", "dev", "eth0");
        exec(node, "ip", "addr", "add", "2001:db8::1/64", "dev", "eth0", "nodad");
        exec(router, "ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
        exec(router, "ip", "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad");
        exec(node, "ip", "link", "set", "eth0", "up");
        exec(router, "ip", "link", "set", "eth0", "up");
        dp = LinuxDatapath.open(Optional.of(node), IptablesBackend.NFT);
        asker = NetnsExecutor.open(Optional.of(router), "router");
    }

    @AfterEach
    void tearDown() {
        if (asker != null) {
            asker.close();
        }
        if (dp != null) {
            dp.close();
        }
        if (netns != null) {
            netns.close();
        }
    }

    private String nodeMac() {
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(exec(node, "ip", "-o", "link", "show", "eth0"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The router forgets {@code ip}, sends it a datagram (so its kernel asks) and returns its neighbour entry. */
    private String resolve(String ip) {
        String v = ip.contains(":") ? "-6" : "-4";
        Netns.tryExec(router, "ip", v, "neigh", "del", ip, "dev", "eth0");
        asker.run(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getByName(ip), 9));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String[] last = {""};
        // a fresh entry is INCOMPLETE until answered (REACHABLE) or until its probes run out (FAILED, ~3 s)
        Netns.await("the router's neighbour entry for " + ip + " to settle", 10_000, () -> {
            last[0] = exec(router, "ip", v, "neigh", "show", ip, "dev", "eth0");
            return last[0].contains("REACHABLE") || last[0].contains("FAILED");
        });
        return last[0];
    }

    @Test
    void eipsAreAnsweredWhileAnnouncedAndNotAfter() {
        String mac = nodeMac();
        List<DatapathOp> add = List.of(DatapathOp.add(new EipAnnouncement(EIP4, "eth0")),
                DatapathOp.add(new EipAnnouncement(EIP6, "eth0")));
        assertThat(dp.applyPort().apply(add).failures()).isEmpty();
        assertThat(resolve(EIP4)).contains("lladdr " + mac);
        assertThat(resolve(EIP6)).contains("lladdr " + mac);
        assertThat(dp.observePort().observe(Fixtures.SCOPE).ofKind(Kind.EIP_ANNOUNCEMENT))
                .containsExactlyInAnyOrder(new EipAnnouncement(EIP4, "eth0"), new EipAnnouncement(EIP6, "eth0"));
        assertThat(exec(node, "ip", "neigh", "show", "proxy")).as("nothing in the kernel answers").isBlank();

        assertThat(dp.applyPort().apply(List.of(DatapathOp.delete(new EipAnnouncement(EIP4, "eth0")))).failures())
                .isEmpty();
        assertThat(resolve(EIP4)).as("withdrawn").doesNotContain("lladdr");
        assertThat(resolve(EIP6)).as("still announced").contains("lladdr " + mac);

        dp.close(); // what the process's death does
        dp = null;
        assertThat(resolve(EIP6)).as("the datapath is gone").doesNotContain("lladdr");
    }

    @Test
    void anOlderAgentsKernelAnnouncementIsReplacedAndForeignProxyEntriesStay() {
        // what an older agent left: a proxy entry and a host route of protocol 38 over another device
        exec(node, "ip", "link", "add", "dummy0", "type", "veth", "peer", "name", "dummy1");
        exec(node, "ip", "link", "set", "dummy0", "up");
        exec(node, "ip", "route", "add", EIP4 + "/32", "dev", "dummy0", "proto", "38");
        exec(node, "ip", "neigh", "add", "proxy", EIP4, "dev", "eth0");
        // someone else's proxy entry (even for an address an EIP pool might hold) and route
        exec(node, "ip", "neigh", "add", "proxy", "192.0.2.201", "dev", "eth0");
        exec(node, "ip", "route", "add", "192.0.2.202/32", "dev", "dummy0", "proto", "boot");

        assertThat(dp.observePort().observe(Fixtures.SCOPE).ofKind(Kind.EIP_ANNOUNCEMENT))
                .containsExactly(new EipAnnouncement(EIP4, "eth0" + NetlinkObserver.KERNEL_PROXY));
        var want = io.egressgateway.domain.datapath.Datapath.of(List.of(new EipAnnouncement(EIP4, "eth0")));
        var ops = io.egressgateway.domain.datapath.DatapathDiff.between(want, dp.observePort().observe(Fixtures.SCOPE))
                .stream().filter(op -> op.kind() == Kind.EIP_ANNOUNCEMENT).toList();
        assertThat(dp.applyPort().apply(ops).failures()).isEmpty();

        assertThat(exec(node, "ip", "neigh", "show", "proxy")).doesNotContain(EIP4 + " ").contains("192.0.2.201");
        assertThat(exec(node, "ip", "route", "show", "proto", "38")).isBlank();
        assertThat(exec(node, "ip", "route", "show", "192.0.2.202/32")).contains("dummy0");
        assertThat(dp.observePort().observe(Fixtures.SCOPE).ofKind(Kind.EIP_ANNOUNCEMENT))
                .containsExactly(new EipAnnouncement(EIP4, "eth0"));
        assertThat(resolve(EIP4)).contains("lladdr " + nodeMac());

        assertThat(dp.cleanup(Fixtures.SCOPE).failures()).isEmpty();
        assertThat(exec(node, "ip", "neigh", "show", "proxy")).contains("192.0.2.201");
        assertThat(resolve(EIP4)).as("cleaned up").doesNotContain("lladdr");
    }
}
