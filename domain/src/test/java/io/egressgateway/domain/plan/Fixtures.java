package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's example in documentation addresses: gateway "default" over nodes gw1 and gw2 (label
 * egress=true), a worker node, and policy "shop" (pods app=shopping, destCIDR 10.6.1.0/24, an EIP
 * from the pool). Underlay 192.0.2.0/24 and 2001:db8::/64 on eth0; the EIP subnet 198.51.100.0/24
 * and 2001:db8:100::/64 on the gateways' eth1.
 */
final class Fixtures {
    static final String GW1 = "gw1";
    static final String GW2 = "gw2";
    static final String WORKER = "worker";
    static final long MARK_GW1 = 0x26010000L;
    static final long MARK_GW2 = 0x26020000L;
    static final long MARK_WORKER = 0x26030000L;
    static final long MARK_AA = 0x26040000L;

    private Fixtures() {
    }

    static NodeFacts facts(String node, boolean dual) {
        int n = index(node);
        List<InterfaceFacts> ifs = new ArrayList<>();
        ifs.add(new InterfaceFacts("eth0", 1500, "52:54:00:00:00:" + n, List.of("192.0.2." + n + "/24"),
                dual ? List.of("2001:db8::" + n + "/64", "fe80::5054:ff:fe00:" + n + "/64") : List.of()));
        if (!node.equals(WORKER)) {
            ifs.add(new InterfaceFacts("eth1", 9000, "52:54:00:01:00:" + n, List.of("198.51.100." + n + "/24"),
                    dual ? List.of("2001:db8:100::" + n + "/64") : List.of()));
        }
        return new NodeFacts(ifs, "eth0", dual ? "eth0" : null);
    }

    static int index(String node) {
        return switch (node) {
            case GW1 -> 11;
            case GW2 -> 12;
            default -> 13;
        };
    }

    static EgressNode egressNode(String node, long mark, boolean dual) {
        int n = index(node);
        return new EgressNode(node, 1, EgressNodePhase.Succeeded, "172.31.0." + n + "/16", dual ? "fd11::" + n + "/112" : null,
                "66:c5:d6:cc:29:" + n, mark, "eth0", "192.0.2." + n, dual ? "2001:db8::" + n : null, List.of(),
                Map.of(), List.of());
    }

    static List<EgressNode> egressNodes(boolean dual) {
        return List.of(egressNode(GW1, MARK_GW1, dual), egressNode(GW2, MARK_GW2, dual),
                egressNode(WORKER, MARK_WORKER, dual));
    }

    static Gateway gateway(ForwardMethod method, boolean dual) {
        EipAssignment eip = new EipAssignment("198.51.100.10", dual ? "2001:db8:100::10" : null, List.of("shop"));
        IpPools pools = new IpPools(List.of("198.51.100.10-198.51.100.20"), dual ? List.of("2001:db8:100::10-2001:db8:100::20") : List.of(),
                "198.51.100.10", dual ? "2001:db8:100::10" : null);
        GatewayStatus status = new GatewayStatus(1, method, List.of(
                new GatewayNode(GW1, NodeReadiness.Ready, true, List.of(), List.of(eip)),
                new GatewayNode(GW2, NodeReadiness.Ready, method == ForwardMethod.ACTIVE_ACTIVE, List.of(), List.of())),
                null, method == ForwardMethod.ACTIVE_ACTIVE ? MARK_AA : null, List.of());
        return new Gateway("default", 1, LabelSelector.of(Map.of("egress", "true")), pools, true, status);
    }

    static Policy shop(boolean dual) {
        List<String> dest = dual ? List.of("10.6.1.0/24", "2001:db8:6:1::/64") : List.of("10.6.1.0/24");
        return new Policy("shop", 1, "default", new AppliedTo(LabelSelector.of(Map.of("app", "shopping")), null, null), dest,
                new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0,
                new PolicyStatus(1, "198.51.100.10", dual ? "2001:db8:100::10" : null, GW1, List.of(GW1), 2, List.of()));
    }

    /** Active-active spreads only modes NodeIP and None: this policy shows the multipath route. */
    static Policy spread(boolean dual) {
        List<String> dest = dual ? List.of("10.6.2.0/24", "2001:db8:6:2::/64") : List.of("10.6.2.0/24");
        return new Policy("shop-spread", 1, "default", new AppliedTo(LabelSelector.of(Map.of("app", "shopping")), null, null),
                dest, new EgressIpSpec(EgressIpMode.NodeIP, null, null, null), 0,
                new PolicyStatus(1, null, null, null, List.of(GW1, GW2), 2, List.of()));
    }

    static List<EndpointSlice> slices(boolean dual, List<String> policies) {
        List<EndpointSlice> out = new ArrayList<>();
        for (String p : policies) {
            out.add(new EndpointSlice(p + "-x1", p, List.of(
                    new Endpoint("shop", "web-1", WORKER, List.of("10.244.3.17"), dual ? List.of("fd00:10:244:3::11") : List.of()),
                    new Endpoint("shop", "web-2", GW1, List.of("10.244.1.5"), dual ? List.of("fd00:10:244:1::5") : List.of()))));
        }
        return out;
    }

    static ClusterInfo clusterInfo(boolean dual) {
        List<String> pods = new ArrayList<>(List.of("10.244.0.0/16"));
        List<String> svc = new ArrayList<>(List.of("10.96.0.0/12"));
        List<String> nodes = new ArrayList<>(List.of("192.0.2.11", "192.0.2.12", "192.0.2.13"));
        List<String> tunnel = new ArrayList<>(List.of("172.31.0.0/16"));
        List<String> pools = new ArrayList<>(List.of("198.51.100.10-198.51.100.20"));
        if (dual) {
            pods.add("fd00:10:244::/56");
            svc.add("fd00:10:96::/112");
            nodes.addAll(List.of("2001:db8::11", "2001:db8::12", "2001:db8::13"));
            tunnel.add("fd11::/112");
            pools.add("2001:db8:100::10-2001:db8:100::20");
        }
        return new ClusterInfo(pods, svc, nodes, tunnel, pools, ClusterInfo.ALWAYS, List.of(), true);
    }

    static PlannerSettings settings(boolean dual) {
        return PlannerSettings.defaults().withFamilies(true, dual);
    }

    /** The seed's example as seen by {@code node}; active-active adds the NodeIP policy. */
    static NodeSnapshot seed(String node, ForwardMethod method, boolean dual) {
        List<Policy> policies = method == ForwardMethod.ACTIVE_ACTIVE ? List.of(shop(dual), spread(dual)) : List.of(shop(dual));
        return new NodeSnapshot(node, facts(node, dual), egressNodes(dual), List.of(gateway(method, dual)), policies,
                slices(dual, policies.stream().map(Policy::name).toList()), clusterInfo(dual), settings(dual));
    }
}
