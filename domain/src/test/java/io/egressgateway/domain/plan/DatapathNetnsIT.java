package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The planned rule set in a real kernel. Namespaces: a LAN bridge; worker (with a pod namespace
 * behind a veth, Calico style), gw1 and gw2 on the LAN; a server that owns 10.6.1.9 and reports
 * the source address it sees on each connection. The plans are applied with a test-only shell
 * applier. Dual stack, each family over its own underlay. Gateway "one" (gw1, EIP 192.0.2.200 /
 * 2001:db8::200), gateway "two" (gw2, EIP 192.0.2.201 / 2001:db8::201), gateway "three"
 * (active-active over gw1 and gw2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatapathNetnsIT {
    private static final String SERVER = "import socket,threading,sys\n"
            + "f=socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET\n"
            + "s=socket.socket(f);s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            + "if f==socket.AF_INET6: s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,1)\n"
            + "s.bind((sys.argv[1],8080));s.listen(64)\n"
            + "def h(c,a):\n  f=c.makefile('rb')\n  for l in f: c.sendall((a[0]+'\\n').encode())\n"
            + "while True:\n  c,a=s.accept();threading.Thread(target=h,args=(c,a),daemon=True).start()\n";
    private static final String CLIENT = "import socket,sys\n"
            + "try:\n  s=socket.create_connection((sys.argv[1],8080),timeout=4)\n"
            + "except Exception as e:\n  print('connect-error '+type(e).__name__,flush=True);sys.exit(0)\n"
            + "for l in sys.stdin:\n  try:\n    s.sendall(b'x\\n');r=s.recv(100).decode().strip()\n"
            + "    print(r if r else 'closed',flush=True)\n  except Exception as e:\n    print('error '+type(e).__name__,flush=True)\n";

    private final String prefix = "egw-" + random6();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Datapath> applied = new HashMap<>();

    private String ns(String role) {
        return prefix + "-" + role;
    }

    private static String random6() {
        String abc = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append(abc.charAt(r.nextInt(abc.length())));
        }
        return sb.toString();
    }

    @BeforeAll
    void buildTopology() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces; skipped");
        for (String role : List.of("lan", "worker", "pod", "gw1", "gw2", "server")) {
            NetnsApplier.run(null, "ip netns add " + ns(role));
            namespaces.add(ns(role));
            NetnsApplier.run(ns(role), "ip link set lo up");
        }
        NetnsApplier.run(ns("lan"), "ip link add br0 type bridge && ip link set br0 up");
        Map<String, String> ips = Map.of("worker", "192.0.2.13", "gw1", "192.0.2.11", "gw2", "192.0.2.12", "server", "192.0.2.100");
        for (String role : List.of("worker", "gw1", "gw2", "server")) {
            String n = ips.get(role).substring(ips.get(role).lastIndexOf('.') + 1);
            NetnsApplier.run(ns(role), "ip link add eth0 type veth peer name l-" + role + " netns " + ns("lan")
                    + " && ip link set eth0 address 52:54:00:00:00:" + (n.length() > 2 ? "99" : n)
                    + " && ip addr add " + ips.get(role) + "/24 dev eth0 && ip addr add 2001:db8::" + n + "/64 dev eth0 nodad"
                    + " && ip link set eth0 up");
            NetnsApplier.run(ns("lan"), "ip link set l-" + role + " master br0 && ip link set l-" + role + " up");
            if (!role.equals("server")) {
                NetnsApplier.run(ns(role), "ip route add 10.6.1.0/24 via 192.0.2.100 && ip route add default via 192.0.2.1"
                        + " && ip -6 route add 2001:db8:6:1::/64 via 2001:db8::100 && ip -6 route add default via 2001:db8::1");
            }
        }
        NetnsApplier.run(ns("server"), "ip addr add 10.6.1.9/32 dev eth0 && ip route add 10.244.0.0/16 via 192.0.2.13"
                + " && ip neigh replace 192.0.2.200 lladdr 52:54:00:00:00:11 dev eth0 nud permanent"
                + " && ip neigh replace 192.0.2.201 lladdr 52:54:00:00:00:12 dev eth0 nud permanent"
                + " && ip addr add 2001:db8:6:1::9/128 dev eth0 nodad && ip -6 route add fd00:10:244::/56 via 2001:db8::13"
                + " && ip neigh replace 2001:db8::200 lladdr 52:54:00:00:00:11 dev eth0 nud permanent"
                + " && ip neigh replace 2001:db8::201 lladdr 52:54:00:00:00:12 dev eth0 nud permanent");
        NetnsApplier.run(ns("pod"), "ip link add eth0 type veth peer name vethpod netns " + ns("worker")
                + " && ip addr add 10.244.3.17/32 dev eth0 && ip link set eth0 up"
                + " && ip route add 169.254.1.1 dev eth0 && ip route add default via 169.254.1.1 dev eth0"
                + " && ip addr add fd00:10:244:3::11/128 dev eth0 nodad && ip -6 route add default via fe80::1 dev eth0");
        NetnsApplier.run(ns("worker"), "ip link set vethpod up && sysctl -q -w net.ipv4.conf.vethpod.proxy_arp=1"
                + " && ip route add 10.244.3.17/32 dev vethpod && ip addr add fe80::1/64 dev vethpod nodad"
                + " && ip -6 route add fd00:10:244:3::11/128 dev vethpod");
        for (String address : List.of("10.6.1.9", "2001:db8:6:1::9")) {
            processes.add(new ProcessBuilder("ip", "netns", "exec", ns("server"), "python3", "-c", SERVER, address)
                    .redirectErrorStream(true).start());
        }
        reconcile(List.of());
    }

    @AfterAll
    void removeTopology() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (String n : namespaces) {
            NetnsApplier.run(null, "ip netns del " + n + " || true");
        }
    }

    private boolean gw1Ready = true;
    private boolean failClosed = false;

    private NodeSnapshot snapshot(String node, List<Policy> policies) {
        InterfaceFacts eth0 = new InterfaceFacts("eth0", 1500, "52:54:00:00:00:" + Fixtures.index(node),
                List.of("192.0.2." + Fixtures.index(node) + "/24"), List.of("2001:db8::" + Fixtures.index(node) + "/64"));
        Gateway one = gateway("one", Fixtures.GW1, "192.0.2.200", "2001:db8::200", policies);
        if (!gw1Ready) {
            GatewayStatus st = one.status();
            one = new Gateway("one", 1, one.nodeSelector(), one.ippools(), false, new GatewayStatus(1, st.forwardMethod(),
                    List.of(new GatewayNode(Fixtures.GW1, NodeReadiness.NotReady, false, List.of(), List.of())), null, null, List.of()));
        }
        Gateway two = gateway("two", Fixtures.GW2, "192.0.2.201", "2001:db8::201", policies);
        List<EndpointSlice> slices = policies.stream().map(p -> new EndpointSlice(p.name() + "-1", p.name(),
                List.of(new Endpoint("shop", "web-1", Fixtures.WORKER, List.of("10.244.3.17"), List.of("fd00:10:244:3::11"))))).toList();
        Gateway three = new Gateway("three", 1, LabelSelector.of(Map.of("gw", "three")), IpPools.empty(), false,
                new GatewayStatus(1, ForwardMethod.ACTIVE_ACTIVE, List.of(
                        new GatewayNode(Fixtures.GW1, gw1Ready ? NodeReadiness.Ready : NodeReadiness.NotReady, gw1Ready, List.of(),
                                List.of()),
                        new GatewayNode(Fixtures.GW2, NodeReadiness.Ready, true, List.of(), List.of())), null, Fixtures.MARK_AA, List.of()));
        return new NodeSnapshot(node, new NodeFacts(List.of(eth0), "eth0", "eth0"), Fixtures.egressNodes(true), List.of(one, two, three),
                // The shell applier has no nfacct tool: counting rules are proven by the Linux adapter's
                // NfacctNetnsIT and MetricsE2EIT, not here.
                policies, slices, Fixtures.clusterInfo(true), Fixtures.settings(true).withFailClosed(failClosed)
                        .withTrafficCounters(false));
    }

    private static Gateway gateway(String name, String node, String eip, String eip6, List<Policy> policies) {
        List<String> users = policies.stream().filter(p -> p.egressGatewayName().equals(name)).map(Policy::name).toList();
        return new Gateway(name, 1, LabelSelector.of(Map.of("gw", name)), new IpPools(List.of(eip), List.of(eip6), eip, eip6), false,
                new GatewayStatus(1, ForwardMethod.ACTIVE_PASSIVE, List.of(new GatewayNode(node, NodeReadiness.Ready, true, List.of(),
                        users.isEmpty() ? List.of() : List.of(new EipAssignment(eip, eip6, users)))), null, null, List.of()));
    }

    private static Policy policy(String name, String gateway, String node, String eip, int priority) {
        String eip6 = "2001:db8::" + eip.substring(eip.lastIndexOf('.') + 1);
        return new Policy(name, 1, gateway, new AppliedTo(LabelSelector.of(Map.of("app", "shopping")), null, null),
                List.of("10.6.1.0/24", "2001:db8:6:1::/64"), new EgressIpSpec(EgressIpMode.EgressIP, eip, eip6, null), priority,
                new PolicyStatus(1, eip, eip6, node, List.of(node), 1, List.of()));
    }

    private void reconcile(List<Policy> policies) throws Exception {
        for (String node : List.of(Fixtures.WORKER, Fixtures.GW1, Fixtures.GW2)) {
            Datapath desired = DatapathPlanner.plan(snapshot(node, policies));
            Datapath actual = applied.getOrDefault(node, Datapath.empty());
            NetnsApplier.apply(ns(node), DatapathDiff.between(desired, actual));
            applied.put(node, desired);
        }
    }

    /** A TCP connection from the pod; each {@link #source()} asks the server which source it sees. */
    private final class Connection {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        Connection() throws IOException {
            this("10.6.1.9");
        }

        Connection(String server) throws IOException {
            process = new ProcessBuilder("ip", "netns", "exec", ns("pod"), "python3", "-c", CLIENT, server).redirectErrorStream(true)
                    .start();
            processes.add(process);
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Blocks at most ~4 s: the client's socket timeout bounds every answer. */
        String source() throws IOException {
            in.write("x\n");
            in.flush();
            String line = out.readLine();
            return line == null ? "client exited" : line;
        }
    }

    @Test
    @Order(1)
    void withoutAPolicyThePodLeavesWithItsOwnAddress() throws Exception {
        assertThat(new Connection().source()).isEqualTo("10.244.3.17");
        assertThat(new Connection("2001:db8:6:1::9").source()).isEqualTo("fd00:10:244:3::11");
    }

    @Test
    @Order(2)
    void addingAPolicySendsNewConnectionsThroughTheGatewayButLeavesARunningOneAlone() throws Exception {
        Connection before = new Connection();
        assertThat(before.source()).isEqualTo("10.244.3.17");

        reconcile(List.of(policy("shop", "one", Fixtures.GW1, "192.0.2.200", 0)));

        assertThat(new Connection().source()).as("new connection, SNATed on gw1, reply back through the tunnel")
                .isEqualTo("192.0.2.200");
        assertThat(before.source()).as("the connection that was running keeps its direct path").isEqualTo("10.244.3.17");
        assertThat(new Connection("2001:db8:6:1::9").source()).as("IPv6 over the IPv6 underlay").isEqualTo("2001:db8::200");
    }

    @Test
    @Order(3)
    void aHigherPriorityPolicyOnAnotherGatewayTakesNewConnectionsOnlyPinnedOnesKeepTheirGateway() throws Exception {
        Connection viaOne = new Connection();
        assertThat(viaOne.source()).isEqualTo("192.0.2.200");

        reconcile(List.of(policy("shop", "one", Fixtures.GW1, "192.0.2.200", 0), policy("shop-two", "two", Fixtures.GW2,
                "192.0.2.201", 10)));

        assertThat(new Connection().source()).isEqualTo("192.0.2.201");
        assertThat(viaOne.source()).as("pinned to gw1 by its connmark").isEqualTo("192.0.2.200");
    }

    @Test
    @Order(4)
    void whenThePolicysGatewayIsLostNewConnectionsTakeTheNormalPath() throws Exception {
        List<Policy> shop = List.of(policy("shop", "one", Fixtures.GW1, "192.0.2.200", 0));
        reconcile(shop);
        Connection pinned = new Connection();
        assertThat(pinned.source()).isEqualTo("192.0.2.200");

        gw1Ready = false;
        reconcile(shop);

        assertThat(new Connection().source()).isEqualTo("10.244.3.17");
        assertThat(rulesIn("worker")).as("gw1's ip rule is gone with it").doesNotContain("0x26010000");
    }

    @Test
    @Order(5)
    void failClosedRefusesAPolicysTrafficWhileItHasNoReadyGateway() throws Exception {
        failClosed = true;
        reconcile(List.of(policy("shop", "one", Fixtures.GW1, "192.0.2.200", 0)));

        assertThat(new Connection().source()).startsWith("connect-error");

        gw1Ready = true;
        reconcile(List.of(policy("shop", "one", Fixtures.GW1, "192.0.2.200", 0)));

        assertThat(new Connection().source()).isEqualTo("192.0.2.200");
    }

    private String rulesIn(String role) throws Exception {
        return NetnsApplier.run(ns(role), "ip rule list");
    }

    @Test
    @Order(6)
    void activeActiveSpreadsConnectionsOverTheGatewaysAndKeepsEachOnItsNode() throws Exception {
        failClosed = false;
        Policy spread = new Policy("spread", 1, "three", new AppliedTo(LabelSelector.of(Map.of("app", "shopping")), null, null),
                List.of("10.6.1.0/24"), new EgressIpSpec(EgressIpMode.NodeIP, null, null, null), 20,
                new PolicyStatus(1, null, null, null, List.of(Fixtures.GW1, Fixtures.GW2), 1, List.of()));
        reconcile(List.of(spread));

        List<Connection> connections = new ArrayList<>();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 12; i++) {
            Connection c = new Connection();
            connections.add(c);
            seen.add(c.source());
        }
        assertThat(seen).as("masqueraded by one of the two gateway nodes").isSubsetOf("192.0.2.11", "192.0.2.12").isNotEmpty();
        for (Connection c : connections) {
            String first = c.source();
            assertThat(c.source()).as("a connection stays on its gateway").isEqualTo(first);
        }
    }
}
