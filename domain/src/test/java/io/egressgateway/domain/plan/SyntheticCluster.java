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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random but valid-looking clusters for property tests and the benchmark: every choice comes from
 * one seeded {@link Random}, so a failing seed reproduces.
 */
final class SyntheticCluster {
    /** Marks outside kube-proxy's 0xc000 and the low byte, so that 500 nodes fit. */
    static final PlannerSettings SETTINGS = new PlannerSettings("egress-vxlan-v4", "egress-vxlan-v6", 100, 7789, "auto",
            0x26000000L, 0xff000000L, 0x0000c0ffL, 99, false, true, true);

    private SyntheticCluster() {
    }

    static NodeSnapshot generate(long seed, int nodes, int gateways, int policies, int endpoints) {
        return generate(seed, nodes, gateways, policies, endpoints, null);
    }

    /** {@code dual} null lets the seed choose between IPv4 only and dual stack. */
    static NodeSnapshot generate(long seed, int nodes, int gateways, int policies, int endpoints, Boolean forceDual) {
        Random r = new Random(seed);
        boolean coin = r.nextBoolean();
        boolean dual = forceDual == null ? coin : forceDual;
        PlannerSettings settings = SETTINGS.withFamilies(true, dual).withFailClosed(r.nextInt(4) == 0);
        List<String> names = new ArrayList<>();
        List<EgressNode> egressNodes = new ArrayList<>();
        long mark = 0;
        for (int i = 0; i < nodes; i++) {
            String name = String.format("node-%03d", i);
            names.add(name);
            mark = nextMark(settings, mark);
            int roll = r.nextInt(10);
            EgressNodePhase phase = roll < 7 ? EgressNodePhase.Succeeded : roll == 7 ? EgressNodePhase.Init
                    : roll == 8 ? EgressNodePhase.Pending : EgressNodePhase.HeartbeatTimeout;
            boolean allocated = phase != EgressNodePhase.Pending;
            boolean v4Underlay = !dual || r.nextInt(5) != 0;
            egressNodes.add(new EgressNode(name, 1, phase, allocated ? "172.31." + (i / 250) + "." + (i % 250 + 1) + "/16" : null,
                    allocated && dual ? "fd11::" + Integer.toHexString(i + 1) + "/112" : null,
                    allocated ? String.format("66:c5:d6:cc:%02x:%02x", i / 256, i % 256) : null, allocated ? mark : null, "eth0",
                    v4Underlay ? "100.64." + (i / 250) + "." + (i % 250 + 1) : null,
                    dual ? "2001:db8::" + Integer.toHexString(i + 1) : null, List.of(), Map.of(), List.of()));
        }
        int selfIndex = r.nextInt(nodes);
        String self = names.get(selfIndex);
        EgressNode selfNode = egressNodes.get(selfIndex);

        List<Gateway> gws = new ArrayList<>();
        Map<String, List<String>> readyByGateway = new HashMap<>();
        Map<String, Map<String, List<EipAssignment>>> eips = new HashMap<>();
        List<String> pool = new ArrayList<>();
        for (int g = 0; g < gateways; g++) {
            String gname = "gw-" + g;
            List<String> members = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                String n = names.get(r.nextInt(nodes));
                if (!members.contains(n)) {
                    members.add(n);
                }
            }
            if (r.nextInt(3) == 0 && !members.contains(self)) {
                members.add(self);
            }
            List<String> ready = members.stream().filter(n -> r.nextInt(5) != 0).sorted().toList();
            readyByGateway.put(gname, ready);
            eips.put(gname, new HashMap<>());
            pool.add("198.51." + (100 + g) + ".0/24");
        }
        List<Policy> pols = new ArrayList<>();
        for (int p = 0; p < policies; p++) {
            int g = r.nextInt(gateways);
            String gname = "gw-" + g;
            List<String> ready = readyByGateway.get(gname);
            EgressIpMode mode = EgressIpMode.values()[r.nextInt(3)];
            String node = ready.isEmpty() || r.nextInt(10) == 0 ? null : ready.get(r.nextInt(ready.size()));
            String eip4 = mode == EgressIpMode.EgressIP && node != null ? "198.51." + (100 + g) + "." + (1 + p % 250) : null;
            String eip6 = eip4 != null && dual ? "2001:db8:" + Integer.toHexString(0x100 + g) + "::" + Integer.toHexString(1 + p) : null;
            if (eip4 != null) {
                eips.get(gname).computeIfAbsent(node, k -> new ArrayList<>()).add(new EipAssignment(eip4, eip6, List.of("p-" + p)));
            }
            List<String> dest = switch (r.nextInt(5)) {
                case 0 -> List.of();
                case 1 -> List.of("198.18.0.0/15");
                case 2 -> List.of("10.6." + r.nextInt(256) + ".0/24", "2001:db8:6:" + Integer.toHexString(r.nextInt(256)) + "::/64");
                default -> List.of("10.6." + r.nextInt(256) + ".0/24", "203.0.113." + r.nextInt(256) + "/32");
            };
            AppliedTo to = r.nextInt(8) == 0 ? new AppliedTo(null, null, List.of("10.244." + r.nextInt(256) + ".0/24"))
                    : new AppliedTo(LabelSelector.of(Map.of("app", "a" + p)), null, null);
            pols.add(new Policy("p-" + p, 1, gname, to, dest, new EgressIpSpec(mode, null, null, AllocatorPolicy.DEFAULT),
                    r.nextInt(3), new PolicyStatus(1, eip4, eip6, node, ready, 0, List.of())));
        }
        for (int g = 0; g < gateways; g++) {
            String gname = "gw-" + g;
            ForwardMethod method = r.nextBoolean() ? ForwardMethod.ACTIVE_ACTIVE : ForwardMethod.ACTIVE_PASSIVE;
            List<GatewayNode> list = new ArrayList<>();
            for (String n : names) {
                boolean isReady = readyByGateway.get(gname).contains(n);
                if (isReady || r.nextInt(nodes) < 2) {
                    list.add(new GatewayNode(n, isReady ? NodeReadiness.Ready : NodeReadiness.NotReady, isReady, List.of(),
                            eips.get(gname).getOrDefault(n, List.of())));
                }
            }
            mark = nextMark(settings, mark);
            gws.add(new Gateway(gname, 1, LabelSelector.of(Map.of("egress", gname)),
                    new IpPools(List.of(pool.get(g)), dual ? List.of("2001:db8:" + Integer.toHexString(0x100 + g) + "::/64") : List.of(),
                            null, null), g == 0,
                    new GatewayStatus(1, method, list, null, method == ForwardMethod.ACTIVE_ACTIVE ? mark : null, List.of())));
        }
        List<EndpointSlice> slices = new ArrayList<>();
        Map<String, List<Endpoint>> byPolicy = new HashMap<>();
        for (int e = 0; e < endpoints; e++) {
            String p = "p-" + r.nextInt(policies);
            String ip4 = "10." + (128 + e / 65536) + "." + (e / 256 % 256) + "." + (e % 256);
            byPolicy.computeIfAbsent(p, k -> new ArrayList<>()).add(new Endpoint("ns", "pod-" + e, names.get(r.nextInt(nodes)),
                    List.of(ip4), dual ? List.of("fd00:10:244::" + Integer.toHexString(e + 1)) : List.of()));
        }
        byPolicy.forEach((p, eps) -> {
            for (int i = 0; i < eps.size(); i += 100) {
                slices.add(new EndpointSlice(p + "-" + i, p, eps.subList(i, Math.min(eps.size(), i + 100))));
            }
        });
        ClusterInfo ci = r.nextInt(6) == 0 ? null : new ClusterInfo(List.of("10.244.0.0/16", "fd00:10:244::/56"),
                List.of("10.96.0.0/12"), List.of("100.64.0.1", "100.64.0.2"), List.of("172.31.0.0/16", "fd11::/112"), pool,
                ClusterInfo.ALWAYS, List.of(), r.nextInt(5) != 0);
        return new NodeSnapshot(self, facts(selfNode, dual, gateways), egressNodes, gws, pols, slices, ci, settings);
    }

    /** The same cluster seen from another node. */
    static NodeSnapshot as(NodeSnapshot s, String node) {
        EgressNode self = s.egressNodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow();
        return new NodeSnapshot(node, facts(self, s.settings().enableIPv6(), s.gateways().size()), s.egressNodes(), s.gateways(),
                s.policies(), s.endpointSlices(), s.clusterInfo(), s.settings(), s.observedSysctls());
    }

    private static NodeFacts facts(EgressNode self, boolean dual, int gateways) {
        List<String> v4 = self.physicalInterfaceIPv4() == null ? List.of() : List.of(self.physicalInterfaceIPv4() + "/10");
        List<String> v6 = dual ? List.of(self.physicalInterfaceIPv6() + "/64") : List.of();
        List<InterfaceFacts> ifs = new ArrayList<>();
        ifs.add(new InterfaceFacts("eth0", 1500, "52:54:00:00:00:01", v4, v6));
        ifs.add(new InterfaceFacts("eth1", 9000, "52:54:00:00:00:02", List.of("198.51.100.254/22"),
                dual ? List.of("2001:db8:100::fe/56") : List.of()));
        return new NodeFacts(ifs, v4.isEmpty() ? null : "eth0", dual ? "eth0" : null);
    }

    private static long nextMark(PlannerSettings s, long previous) {
        long m = previous == 0 ? s.markBase() : previous;
        do {
            m += 0x100;
        } while ((m & s.reservedMask()) != 0);
        return m;
    }

    /** The same snapshot with every list whose order carries no meaning shuffled. */
    static NodeSnapshot shuffled(NodeSnapshot s, long seed) {
        Random r = new Random(seed);
        List<Gateway> gws = new ArrayList<>();
        for (Gateway g : s.gateways()) {
            GatewayStatus st = g.status();
            List<GatewayNode> nodes = new ArrayList<>();
            for (GatewayNode n : st.nodeList()) {
                nodes.add(new GatewayNode(n.name(), n.status(), n.active(), n.interfaces(), shuffle(n.eips(), r)));
            }
            gws.add(new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                    new GatewayStatus(st.observedGeneration(), st.forwardMethod(), shuffle(nodes, r), st.ipUsage(), st.mark(),
                            st.conditions())));
        }
        List<Policy> pols = new ArrayList<>();
        for (Policy p : s.policies()) {
            pols.add(new Policy(p.name(), p.generation(), p.egressGatewayName(), p.appliedTo(), shuffle(p.destCIDR(), r), p.egressIP(),
                    p.priority(), p.status()));
        }
        List<EndpointSlice> slices = new ArrayList<>();
        for (EndpointSlice sl : s.endpointSlices()) {
            slices.add(new EndpointSlice(sl.name(), sl.policy(), shuffle(sl.endpoints(), r)));
        }
        ClusterInfo ci = s.clusterInfo();
        ClusterInfo ci2 = ci == null ? null : new ClusterInfo(shuffle(ci.podCIDRs(), r), shuffle(ci.serviceCIDRs(), r),
                shuffle(ci.nodeIPs(), r), shuffle(ci.tunnelCIDRs(), r), shuffle(ci.eipPools(), r), shuffle(ci.always(), r),
                shuffle(ci.extraCIDRs(), r), ci.complete());
        NodeFacts f = new NodeFacts(shuffle(s.facts().interfaces(), r), s.facts().defaultRouteDeviceV4(),
                s.facts().defaultRouteDeviceV6());
        return new NodeSnapshot(s.nodeName(), f, shuffle(s.egressNodes(), r), shuffle(gws, r), shuffle(pols, r),
                shuffle(slices, r), ci2, s.settings(), s.observedSysctls());
    }

    private static <T> List<T> shuffle(List<T> in, Random r) {
        List<T> out = new ArrayList<>(in);
        Collections.shuffle(out, r);
        return out;
    }
}
