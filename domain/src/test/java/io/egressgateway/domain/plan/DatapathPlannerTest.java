package io.egressgateway.domain.plan;

import static io.egressgateway.domain.plan.Fixtures.GW1;
import static io.egressgateway.domain.plan.Fixtures.GW2;
import static io.egressgateway.domain.plan.Fixtures.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DatapathPlannerTest {
    private static final ForwardMethod AP = ForwardMethod.ACTIVE_PASSIVE;
    private static final ForwardMethod AA = ForwardMethod.ACTIVE_ACTIVE;

    private static List<String> rules(Datapath d, Family f, String chain) {
        return d.ofType(IptablesChain.class).stream().filter(c -> c.family() == f && c.chain().equals(chain))
                .flatMap(c -> c.rules().stream()).map(IptablesRule::spec).toList();
    }

    private static List<String> markRules(Datapath d) {
        return rules(d, Family.IPV4, IptablesPlanner.MARK_REQUEST).stream().filter(r -> r.contains("-j MARK")).toList();
    }

    private static Route table(Datapath d, Family f, long mark) {
        return d.ofType(Route.class).stream().filter(r -> r.family() == f && r.table() == mark).findFirst().orElse(null);
    }

    private static NodeSnapshot withGateway(NodeSnapshot s, UnaryOperator<Gateway> change) {
        return new NodeSnapshot(s.nodeName(), s.facts(), s.egressNodes(), s.gateways().stream().map(change).toList(), s.policies(),
                s.endpointSlices(), s.clusterInfo(), s.settings(), s.observedSysctls());
    }

    private static NodeSnapshot withPolicies(NodeSnapshot s, List<Policy> policies) {
        return new NodeSnapshot(s.nodeName(), s.facts(), s.egressNodes(), s.gateways(), policies,
                Fixtures.slices(false, policies.stream().map(Policy::name).toList()), s.clusterInfo(), s.settings(), s.observedSysctls());
    }

    private static Gateway readiness(Gateway g, NodeReadiness gw1, NodeReadiness gw2) {
        GatewayStatus st = g.status();
        List<GatewayNode> nodes = st.nodeList().stream().map(n -> new GatewayNode(n.name(), n.name().equals(GW1) ? gw1 : gw2,
                n.active(), n.interfaces(), n.eips())).toList();
        return new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                new GatewayStatus(1, st.forwardMethod(), nodes, null, st.mark(), List.of()));
    }

    private static Policy with(Policy p, String name, int priority, EgressIpMode mode, List<String> dest) {
        return new Policy(name, 1, p.egressGatewayName(), p.appliedTo(), dest, new EgressIpSpec(mode, null, null, null), priority,
                p.status());
    }

    @Test
    void aWorkerSteersThePolicysPodsToTheGatewayCarryingTheEip() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(WORKER, AP, false));

        assertThat(markRules(d)).singleElement().asString()
                .contains("--match-set egress-src-v4-", "-j MARK --set-xmark 0x26010000/0xffffffff");
        assertThat(table(d, Family.IPV4, Fixtures.MARK_GW1).render())
                .isEqualTo("route v4 table 637599744 0.0.0.0/0 via 172.31.0.11 dev egress-vxlan-v4 onlink");
        assertThat(d.ofType(RouteRule.class)).contains(new RouteRule(Family.IPV4, 99, Fixtures.MARK_GW1, 0xffffffffL, Fixtures.MARK_GW1));
        assertThat(d.ofType(IpSet.class)).filteredOn(s -> s.name().startsWith("egress-src"))
                .singleElement().extracting(IpSet::members).isEqualTo(List.of("10.244.3.17/32"));
        assertThat(rules(d, Family.IPV4, IptablesPlanner.SNAT_EIP)).isEmpty();
    }

    @Test
    void theGatewayClaimsItsOwnPodsWithTheBaseMarkAndSnatsEveryPodToTheEip() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(GW1, AP, false));

        assertThat(markRules(d)).singleElement().asString().contains("-j MARK --set-xmark 0x26000000/0xffffffff");
        assertThat(rules(d, Family.IPV4, IptablesPlanner.SNAT_EIP)).last().asString()
                .contains("SNAT --to-source 198.51.100.10 --random-fully");
        assertThat(d.ofType(IpSet.class)).filteredOn(s -> s.name().startsWith("egress-src"))
                .singleElement().extracting(IpSet::members).isEqualTo(List.of("10.244.1.5/32", "10.244.3.17/32"));
        assertThat(d.ofType(EipAnnouncement.class)).containsExactly(new EipAnnouncement("198.51.100.10", "eth1"));
        assertThat(table(d, Family.IPV4, Fixtures.MARK_GW1)).as("a gateway is never its own next hop").isNull();
        assertThat(table(d, Family.IPV4, Fixtures.MARK_WORKER)).as("reply path to the worker").isNotNull();
    }

    @Test
    void aPolicyWithoutAnyReadyGatewayNodeIsNotMarked() {
        NodeSnapshot s = withGateway(Fixtures.seed(WORKER, AP, false), g -> readiness(g, NodeReadiness.NotReady, NodeReadiness.NotReady));

        assertThat(markRules(DatapathPlanner.plan(s))).isEmpty();
        assertThat(table(DatapathPlanner.plan(s), Family.IPV4, 0x26000000L)).as("no fail-closed table without failClosed").isNull();
    }

    @Test
    void aPolicyWhoseNodeIsNotReadyWhileAnotherIsIsHeldInTheFailClosedTableWhateverFailClosedSays() {
        NodeSnapshot s = withGateway(Fixtures.seed(WORKER, AP, false), g -> readiness(g, NodeReadiness.NotReady, NodeReadiness.Ready));
        Datapath d = DatapathPlanner.plan(s);

        assertThat(s.settings().failClosed()).isFalse();
        assertThat(markRules(d)).singleElement().asString().contains("--set-xmark 0x27000000/0xffffffff");
        assertThat(table(d, Family.IPV4, 0x26000000L).type()).isEqualTo(Route.Type.UNREACHABLE);
    }

    @Test
    void aConnectionPinnedToAGatewayThatIsGoneIsNotRestored() {
        String restoreGw1 = "-m connmark --mark 0x26010000/0xffff200f -j CONNMARK --restore-mark";
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);
        NodeSnapshot gone = withGateway(up, g -> readiness(g, NodeReadiness.NotReady, NodeReadiness.Ready));

        assertThat(rules(DatapathPlanner.plan(up), Family.IPV4, IptablesPlanner.MARK_REQUEST)).anyMatch(r -> r.contains(restoreGw1));
        assertThat(rules(DatapathPlanner.plan(gone), Family.IPV4, IptablesPlanner.MARK_REQUEST)).noneMatch(r -> r.contains(restoreGw1));
    }

    @Test
    void aGatewayTagsConnectionsFromEachPeerWithTheReplyFlagSoTagsNeverLookLikeDecisions() {
        List<String> reply = rules(DatapathPlanner.plan(Fixtures.seed(GW1, AP, false)), Family.IPV4, IptablesPlanner.REPLY_ROUTING);

        assertThat(reply).contains("-m mac --mac-source 66:c5:d6:cc:29:13 -j MARK --set-xmark 0x27030000/0xffffffff",
                "-m conntrack --ctdir REPLY -m connmark --mark 0x27000000/0xff000000 -j CONNMARK --restore-mark"
                        + " --nfmask 0xffff200f --ctmask 0xffff200f",
                "-m mark --mark 0x27000000/0xff000000 -m conntrack --ctdir REPLY -j MARK --set-xmark 0x01000000/0x00000000");
        assertThat(reply).noneMatch(r -> r.contains("66:c5:d6:cc:29:11")).as("never tags itself");
    }

    @Test
    void failClosedSendsAPolicyWithoutAReadyGatewayToTheUnreachableTable() {
        NodeSnapshot base = Fixtures.seed(WORKER, AP, false);
        NodeSnapshot s = withGateway(new NodeSnapshot(base.nodeName(), base.facts(), base.egressNodes(), base.gateways(),
                base.policies(), base.endpointSlices(), base.clusterInfo(), base.settings().withFailClosed(true)),
                g -> readiness(g, NodeReadiness.NotReady, NodeReadiness.NotReady));
        Datapath d = DatapathPlanner.plan(s);

        assertThat(markRules(d)).singleElement().asString().contains("--set-xmark 0x27000000/0xffffffff");
        assertThat(d.ofType(RouteRule.class)).contains(new RouteRule(Family.IPV4, 99, 0x27000000L, 0xffffffffL, 0x26000000L));
        assertThat(table(d, Family.IPV4, 0x26000000L).type()).isEqualTo(Route.Type.UNREACHABLE);
        assertThat(rules(d, Family.IPV4, IptablesPlanner.MARK_REQUEST)).as("a fail-closed decision is never restored")
                .noneMatch(r -> r.contains("connmark --mark 0x27000000"));
    }

    @Test
    void activeActiveSpreadsNodeIpPoliciesOverEveryReadyGatewayNode() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(WORKER, AA, false));

        assertThat(table(d, Family.IPV4, Fixtures.MARK_AA).render()).isEqualTo("route v4 table 637796352 0.0.0.0/0"
                + " nexthop via 172.31.0.11 dev egress-vxlan-v4 onlink nexthop via 172.31.0.12 dev egress-vxlan-v4 onlink");
        assertThat(markRules(d)).anyMatch(r -> r.contains("--set-xmark 0x26040000/0xffffffff"));
        assertThat(d.ofType(Sysctl.class)).contains(new Sysctl("net/ipv4/fib_multipath_hash_policy", "1"));
    }

    @Test
    void inActiveActiveAGatewayIsNeverItsOwnNextHopAndMasqueradesItsOwnPods() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(GW1, AA, false));

        assertThat(table(d, Family.IPV4, Fixtures.MARK_AA).nextHops()).extracting(h -> h.via()).containsExactly("172.31.0.12");
        assertThat(markRules(d)).allMatch(r -> r.contains("--set-xmark 0x26000000/0xffffffff"));
        assertThat(rules(d, Family.IPV4, IptablesPlanner.SNAT_EIP)).anyMatch(r -> r.endsWith("-j MASQUERADE --random-fully"));
    }

    @Test
    void aNodeWideHashPolicySomeoneElseChoseIsLeftAlone() {
        NodeSnapshot b = Fixtures.seed(WORKER, AA, false);
        NodeSnapshot s = new NodeSnapshot(b.nodeName(), b.facts(), b.egressNodes(), b.gateways(), b.policies(), b.endpointSlices(),
                b.clusterInfo(), b.settings(), Map.of("net/ipv4/fib_multipath_hash_policy", "2"));

        assertThat(DatapathPlanner.plan(s).ofType(Sysctl.class)).contains(new Sysctl("net/ipv4/fib_multipath_hash_policy", "2"));
        assertThat(DatapathPlanner.plan(Fixtures.seed(WORKER, AP, false)).ofType(Sysctl.class))
                .noneMatch(x -> x.path().contains("multipath"));
    }

    @Test
    void rulesFollowPriorityThenNameAndModeNoneStopsLowerPoliciesFromNatting() {
        Policy shop = Fixtures.shop(false);
        NodeSnapshot s = withPolicies(Fixtures.seed(GW1, AP, false), List.of(
                with(shop, "b-low", 0, EgressIpMode.EgressIP, List.of("10.6.0.0/16")),
                with(shop, "a-low", 0, EgressIpMode.NodeIP, List.of("10.6.0.0/16")),
                with(shop, "z-high", 5, EgressIpMode.None, List.of("10.6.1.0/24"))));
        List<String> snat = rules(DatapathPlanner.plan(s), Family.IPV4, IptablesPlanner.SNAT_EIP);

        assertThat(snat.subList(2, 5)).satisfiesExactly(
                r -> assertThat(r).contains(PolicyPlanner.hash("z-high")).endsWith("-j RETURN"),
                r -> assertThat(r).contains(PolicyPlanner.hash("a-low")).endsWith("-j MASQUERADE --random-fully"),
                r -> assertThat(r).contains(PolicyPlanner.hash("b-low")).endsWith("SNAT --to-source 198.51.100.10 --random-fully"));
    }

    @Test
    void anEmptyDestCidrMeansEverythingOutsideTheCluster() {
        NodeSnapshot s = withPolicies(Fixtures.seed(WORKER, AP, false),
                List.of(with(Fixtures.shop(false), "all", 0, EgressIpMode.EgressIP, List.of())));
        Datapath d = DatapathPlanner.plan(s);

        assertThat(d.ofType(IpSet.class)).filteredOn(x -> x.name().startsWith("egress-dst"))
                .singleElement().extracting(IpSet::members).isEqualTo(List.of("0.0.0.0/1", "128.0.0.0/1"));
        IpSet cluster = d.ofType(IpSet.class).stream().filter(x -> x.name().equals("egress-cluster-v4")).findFirst().orElseThrow();
        assertThat(cluster.members()).contains("10.244.0.0/16", "10.96.0.0/12", "192.0.2.13/32", "172.31.0.0/16",
                "198.51.100.10/31", "169.254.0.0/16", "127.0.0.0/8", "224.0.0.0/4").noneMatch(m -> m.contains(":"));
        assertThat(markRules(d)).singleElement().asString().contains("-m set ! --match-set egress-cluster-v4 dst");
    }

    private static List<String> jumps(Datapath d, Family f, String table, String chain) {
        return d.ofType(io.egressgateway.domain.datapath.IptablesJump.class).stream()
                .filter(j -> j.family() == f && j.table().equals(table) && j.chain().equals(chain))
                .map(j -> j.rule().spec()).toList();
    }

    @Test
    void onlyPeersReachTheTunnelPortOnEveryNode() {
        for (String node : List.of(WORKER, GW1)) {
            Datapath d = DatapathPlanner.plan(Fixtures.seed(node, AP, true));
            for (Family f : Family.values()) {
                IpSet peers = d.ofType(IpSet.class).stream().filter(x -> x.name().equals(DatapathPlanner.peerSet(f)))
                        .findFirst().orElseThrow();
                assertThat(peers.members()).as("%s %s", node, f).isNotEmpty()
                        .allMatch(m -> m.endsWith(f == Family.IPV4 ? "/32" : "/128"))
                        .contains(f == Family.IPV4 ? "192.0.2.13/32" : "2001:db8::13/128");
                assertThat(jumps(d, f, "raw", "PREROUTING")).singleElement().asString()
                        .contains("--dport 7789", "! --match-set " + peers.name() + " src", "-j DROP");
            }
        }
    }

    @Test
    void aNodeWhoseEgressNodeReportIsBrokenStillReachesTheTunnelByItsNodeAddress() {
        NodeSnapshot b = Fixtures.seed(GW1, AP, false);
        List<EgressNode> nodes = b.egressNodes().stream().map(n -> !n.name().equals(WORKER) ? n
                : new EgressNode(n.name(), n.generation(), n.phase(), n.tunnelIPv4(), n.tunnelIPv6(), n.tunnelMac(),
                        n.mark(), n.physicalInterface(), null, null, n.interfaces(), n.programmed(), n.conditions()))
                .toList();
        String worker = b.egressNodes().stream().filter(n -> n.name().equals(WORKER)).findFirst().orElseThrow()
                .physicalInterfaceIPv4();
        NodeSnapshot s = new NodeSnapshot(b.nodeName(), b.facts(), nodes, b.gateways(), b.policies(), b.endpointSlices(),
                b.clusterInfo(), b.settings());
        IpSet peers = DatapathPlanner.plan(s).ofType(IpSet.class).stream()
                .filter(x -> x.name().equals(DatapathPlanner.peerSet(Family.IPV4))).findFirst().orElseThrow();
        assertThat(peers.members()).as("its Node address, published by the controller").contains(worker + "/32")
                .doesNotContain("192.0.2.250/32");
    }

    @Test
    void forwardAcceptsOnlyTunnelFlowsOfKnownPeersAndOnlyOnGateways() {
        Datapath worker = DatapathPlanner.plan(Fixtures.seed(WORKER, AP, false));
        assertThat(jumps(worker, Family.IPV4, "filter", "FORWARD")).as("a selected pod's node accepts nothing early")
                .noneMatch(r -> r.contains("ACCEPT"));
        List<String> gw = jumps(DatapathPlanner.plan(Fixtures.seed(GW1, AP, false)), Family.IPV4, "filter", "FORWARD");
        assertThat(gw.stream().filter(r -> r.contains("-j ACCEPT")).toList()).containsExactlyInAnyOrder(
                "-i egress-vxlan-v+ -m mark --mark 0x26000000/0xff000000 -j ACCEPT",
                "-o egress-vxlan-v+ -m conntrack --ctdir REPLY -m mark --mark 0x26000000/0xff000000 -j ACCEPT");
        assertThat(gw).contains("-i egress-vxlan-v+ -m conntrack --ctdir ORIGINAL -j DROP");
        List<String> reply = rules(DatapathPlanner.plan(Fixtures.seed(GW1, AP, false)), Family.IPV4,
                IptablesPlanner.REPLY_ROUTING);
        assertThat(reply.get(reply.size() - 2)).as("a frame from an unknown MAC leaves without our mark")
                .isEqualTo("-m mark ! --mark 0x27000000/0xff000000 -j RETURN");
    }

    @Test
    void anEmptyDestCidrIsNotProgrammedWhileTheClusterNetworksAreIncomplete() {
        NodeSnapshot b = withPolicies(Fixtures.seed(WORKER, AP, false),
                List.of(with(Fixtures.shop(false), "all", 0, EgressIpMode.EgressIP, List.of())));
        var ci = b.clusterInfo();
        NodeSnapshot s = new NodeSnapshot(b.nodeName(), b.facts(), b.egressNodes(), b.gateways(), b.policies(), b.endpointSlices(),
                new io.egressgateway.domain.model.ClusterInfo(ci.podCIDRs(), List.of(), ci.nodeIPs(), ci.tunnelCIDRs(),
                        ci.eipPools(), ci.always(), ci.extraCIDRs(), false), b.settings());

        assertThat(markRules(DatapathPlanner.plan(s))).isEmpty();
        assertThat(DatapathPlanner.plan(s).ofType(IpSet.class)).extracting(IpSet::name)
                .containsExactly(DatapathPlanner.peerSet(Family.IPV4));
    }

    @Test
    void ownedNamesStayWithinTheKernelsLimits() {
        Datapath d = DatapathPlanner.plan(Fixtures.seed(GW1, AA, true));

        assertThat(d.ofType(IpSet.class)).isNotEmpty().allSatisfy(s -> assertThat(s.name().length()).isLessThanOrEqualTo(31));
        assertThat(d.ofType(IptablesChain.class)).allSatisfy(c -> assertThat(c.chain().length()).isLessThanOrEqualTo(28));
        assertThat(d.ofType(TunnelLink.class)).allSatisfy(l -> assertThat(l.name().length()).isLessThanOrEqualTo(15));
    }

    @Test
    void marksAtOrAbove0x80000000AreUnsignedEverywhere() {
        NodeSnapshot b = Fixtures.seed(WORKER, AP, false);
        PlannerSettings high = new PlannerSettings("egress-vxlan-v4", "egress-vxlan-v6", 100, 7789, "auto", 0x80000000L,
                0xff000000L, 0xffffL, 99, false, true, false);
        List<EgressNode> nodes = b.egressNodes().stream().map(n -> new EgressNode(n.name(), 1, n.phase(), n.tunnelIPv4(), null,
                n.tunnelMac(), n.mark() - 0x26000000L + 0x80000000L, "eth0", n.physicalInterfaceIPv4(), null, List.of(), Map.of(),
                List.of())).toList();
        String rendered = DatapathPlanner.plan(new NodeSnapshot(b.nodeName(), b.facts(), nodes, b.gateways(), b.policies(),
                b.endpointSlices(), b.clusterInfo(), high)).render();

        assertThat(rendered).contains("--set-xmark 0x80010000/0xffffffff", "rule v4 pref 99 fwmark 0x80010000/0xffffffff lookup 2147549184",
                "route v4 table 2147549184").doesNotContain("-0x", "table -", "lookup -");
    }

    @Test
    void anIpv6OnlyUnderlayCarriesIpv4TrafficWithItsOwnMtu() {
        NodeSnapshot b = Fixtures.seed(WORKER, AP, true);
        List<EgressNode> v6only = b.egressNodes().stream().map(n -> new EgressNode(n.name(), 1, n.phase(), n.tunnelIPv4(),
                n.tunnelIPv6(), n.tunnelMac(), n.mark(), "eth0", null, n.physicalInterfaceIPv6(), List.of(), Map.of(), List.of())).toList();
        InterfaceFacts eth0 = b.facts().interfaces().get(0);
        NodeFacts facts = new NodeFacts(List.of(new InterfaceFacts("eth0", 9000, eth0.mac(), List.of(), eth0.ipv6())), null, "eth0");
        Datapath d = DatapathPlanner.plan(new NodeSnapshot(WORKER, facts, v6only, b.gateways(), b.policies(), b.endpointSlices(),
                b.clusterInfo(), b.settings()));

        assertThat(d.ofType(TunnelLink.class)).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("egress-vxlan-v6");
            assertThat(l.mtu()).isEqualTo(9000 - 70);
            assertThat(l.localIp()).isEqualTo("2001:db8::13");
        });
        assertThat(table(d, Family.IPV4, Fixtures.MARK_GW1).render()).endsWith("via 172.31.0.11 dev egress-vxlan-v6 onlink");
        assertThat(d.render()).contains("address 172.31.0.13/16 dev egress-vxlan-v6", "neighbour 172.31.0.11 lladdr 66:c5:d6:cc:29:11 dev egress-vxlan-v6");
    }

    @Test
    void aNodeWithoutAllocationBuildsNoTunnelAndHoldsThePolicysPodsUntilItCanSteerThem() {
        NodeSnapshot b = Fixtures.seed(WORKER, AP, false);
        List<EgressNode> nodes = new ArrayList<>(b.egressNodes());
        nodes.removeIf(n -> n.name().equals(WORKER));
        Datapath d = DatapathPlanner.plan(new NodeSnapshot(WORKER, b.facts(), nodes, b.gateways(), b.policies(), b.endpointSlices(),
                b.clusterInfo(), b.settings()));

        assertThat(d.ofType(TunnelLink.class)).isEmpty();
        assertThat(d.ofType(Route.class)).extracting(Route::type).containsExactly(Route.Type.UNREACHABLE);
        assertThat(markRules(d)).as("the gateway is Ready, this node cannot reach it yet: no leak meanwhile")
                .singleElement().asString().contains("--set-xmark 0x27000000/0xffffffff");
    }

    @Test
    void twoNodesClaimingOneMarkOrMacDoNotBreakThePlanTheFirstByNameKeepsIt() {
        NodeSnapshot b = Fixtures.seed(WORKER, AP, false);
        List<EgressNode> nodes = new ArrayList<>(b.egressNodes());
        nodes.add(new EgressNode("zz-clone", 1, io.egressgateway.domain.model.EgressNodePhase.Succeeded, "172.31.0.99/16", null,
                "66:c5:d6:cc:29:12", Fixtures.MARK_GW1, "eth0", "192.0.2.99", null, List.of(), Map.of(), List.of()));
        Datapath d = DatapathPlanner.plan(new NodeSnapshot(WORKER, b.facts(), nodes, b.gateways(), b.policies(), b.endpointSlices(),
                b.clusterInfo(), b.settings()));

        assertThat(d.render()).doesNotContain("172.31.0.99", "192.0.2.99");
        assertThat(table(d, Family.IPV4, Fixtures.MARK_GW1).nextHops()).extracting(h -> h.via()).containsExactly("172.31.0.11");
    }

    @Test
    void nothingIsOwnedWhenThereIsNoGatewayAndNoAllocation() {
        NodeSnapshot s = new NodeSnapshot(GW2, Fixtures.facts(GW2, false), List.of(), List.of(), List.of(), List.of(), null,
                Fixtures.settings(false));

        assertThat(DatapathPlanner.plan(s).objects()).allMatch(o -> o instanceof Sysctl);
    }

    @Test
    void theScopeCoversEveryObjectThePlanNames() {
        NodeSnapshot s = Fixtures.seed(GW1, AA, true);
        var scope = DatapathPlanner.scope(s.settings(), s.clusterInfo());
        Datapath d = DatapathPlanner.plan(s);

        assertThat(d.ofType(TunnelLink.class)).allMatch(l -> l.name().startsWith(scope.devicePrefix()));
        assertThat(d.ofType(IpSet.class)).allMatch(x -> x.name().startsWith(scope.ipsetPrefix()));
        assertThat(d.ofType(IptablesChain.class)).allMatch(c -> c.chain().startsWith(scope.chainPrefix()));
        assertThat(d.ofType(Route.class)).allMatch(r -> scope.ownsTable(r.table()));
        assertThat(d.ofType(RouteRule.class)).isNotEmpty()
                .allMatch(r -> scope.ownsRule(r.priority(), r.mark(), r.mask(), r.table()));
        assertThat(d.ofType(Sysctl.class)).allMatch(x -> scope.sysctlPaths().contains(x.path()));
    }

    @Test
    void rulesAtOurPriorityAreOursOnlyInOurExactShape() {
        NodeSnapshot s = Fixtures.seed(GW1, AA, false);
        var scope = DatapathPlanner.scope(s.settings(), s.clusterInfo());
        int p = s.settings().rulePriority();
        assertThat(scope.ownsRule(p, 0x26010000L, 0xffffffffL, 0x26010000L)).as("a node's mark").isTrue();
        assertThat(scope.ownsRule(p, 0x27000000L, 0xffffffffL, 0x26000000L)).as("fail-closed").isTrue();
        assertThat(scope.ownsRule(p, 0, 0, 100)).as("a source or catch-all rule to table 100").isFalse();
        assertThat(scope.ownsRule(p, 0x4000, 0x4000, 254)).as("kube-proxy's mark to main").isFalse();
        assertThat(scope.ownsRule(p, 0x26010000L, 0xff000000L, 0x26010000L)).as("another mask").isFalse();
        assertThat(scope.ownsRule(p, 0x26010000L, 0xffffffffL, 254)).as("our mark to main").isFalse();
        assertThat(scope.ownsRule(p, 0x31010000L, 0xffffffffL, 0x26010000L)).as("another mark class").isFalse();
        assertThat(scope.ownsRule(p + 1, 0x26010000L, 0xffffffffL, 0x26010000L)).as("outside the band").isFalse();
        Datapath failClosed = DatapathPlanner.plan(new NodeSnapshot(s.nodeName(), s.facts(), s.egressNodes(), s.gateways(),
                s.policies(), s.endpointSlices(), s.clusterInfo(), Fixtures.settings(false).withFailClosed(true)));
        assertThat(failClosed.ofType(RouteRule.class)).allMatch(r -> scope.ownsRule(r.priority(), r.mark(), r.mask(),
                r.table()));
    }
}
