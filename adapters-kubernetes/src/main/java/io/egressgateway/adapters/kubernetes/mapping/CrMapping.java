package io.egressgateway.adapters.kubernetes.mapping;

import static io.egressgateway.adapters.kubernetes.mapping.Values.conditionsToCr;
import static io.egressgateway.adapters.kubernetes.mapping.Values.selector;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfoStatus;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicySpec;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicyStatus;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewaySpec;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayStatus;
import io.egressgateway.adapters.kubernetes.crd.EgressNodeStatus;
import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.InterfaceEntry;
import io.egressgateway.adapters.kubernetes.crd.IpPoolsSpec;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Domain records to CR specs and statuses. Statuses are whole: the writer replaces the status it owns. */
public final class CrMapping {
    /** Agent-written EgressNode condition; every other condition on an EgressNode is the controller's. */
    public static final String TUNNEL_READY = "TunnelReady";
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CrMapping() {
    }

    public static EgressGateway gateway(Gateway g) {
        EgressGateway cr = new EgressGateway();
        cr.setMetadata(new ObjectMetaBuilder().withName(g.name()).build());
        EgressGatewaySpec spec = new EgressGatewaySpec();
        spec.nodeSelector = selector(g.nodeSelector());
        if (g.ippools() != null && !g.ippools().isEmpty()) {
            spec.ippools = new IpPoolsSpec();
            spec.ippools.ipv4 = g.ippools().ipv4().isEmpty() ? null : new ArrayList<>(g.ippools().ipv4());
            spec.ippools.ipv6 = g.ippools().ipv6().isEmpty() ? null : new ArrayList<>(g.ippools().ipv6());
            spec.ippools.ipv4DefaultEIP = g.ippools().ipv4DefaultEIP();
            spec.ippools.ipv6DefaultEIP = g.ippools().ipv6DefaultEIP();
        }
        spec.clusterDefault = g.clusterDefault() ? Boolean.TRUE : null;
        cr.setSpec(spec);
        if (g.status() != null) {
            cr.setStatus(gatewayStatus(g.status()));
        }
        return cr;
    }

    public static EgressGatewayPolicy policy(Policy p) {
        EgressGatewayPolicy cr = new EgressGatewayPolicy();
        cr.setMetadata(new ObjectMetaBuilder().withName(p.name()).build());
        EgressGatewayPolicySpec spec = new EgressGatewayPolicySpec();
        spec.egressGatewayName = p.egressGatewayName();
        if (p.appliedTo() != null) {
            spec.appliedTo = new EgressGatewayPolicySpec.AppliedToSpec();
            spec.appliedTo.podSelector = selector(p.appliedTo().podSelector());
            spec.appliedTo.namespaceSelector = selector(p.appliedTo().namespaceSelector());
            spec.appliedTo.podSubnet = p.appliedTo().podSubnet() == null ? null : new ArrayList<>(p.appliedTo().podSubnet());
        }
        spec.destCIDR = p.destCIDR().isEmpty() ? null : new ArrayList<>(p.destCIDR());
        if (p.egressIP() != null) {
            spec.egressIP = new EgressGatewayPolicySpec.EgressIpSpec();
            spec.egressIP.mode = p.egressIP().mode() == null ? null : p.egressIP().mode().name();
            spec.egressIP.ipv4 = p.egressIP().ipv4();
            spec.egressIP.ipv6 = p.egressIP().ipv6();
            spec.egressIP.allocatorPolicy = p.egressIP().allocatorPolicy() == null ? null
                    : p.egressIP().allocatorPolicy().text();
        }
        spec.priority = p.priority() == 0 ? null : p.priority();
        cr.setSpec(spec);
        if (p.status() != null) {
            cr.setStatus(policyStatus(p.status()));
        }
        return cr;
    }

    public static EgressGatewayStatus gatewayStatus(GatewayStatus s) {
        EgressGatewayStatus out = new EgressGatewayStatus();
        out.observedGeneration = s.observedGeneration();
        out.forwardMethod = s.forwardMethod() == null ? null : s.forwardMethod().text();
        List<EgressGatewayStatus.GatewayNodeEntry> nodes = new ArrayList<>();
        for (GatewayNode n : s.nodeList()) {
            var e = new EgressGatewayStatus.GatewayNodeEntry();
            e.name = n.name();
            e.status = n.status() == null ? null : n.status().name();
            e.active = n.active();
            e.interfaces = n.interfaces().isEmpty() ? null : interfaces(n.interfaces());
            if (!n.eips().isEmpty()) {
                e.eips = new ArrayList<>();
                for (var a : n.eips()) {
                    var ee = new EgressGatewayStatus.EipEntry();
                    ee.ipv4 = a.ipv4();
                    ee.ipv6 = a.ipv6();
                    ee.policies = ResourceMapping.refs(a.policies());
                    e.eips.add(ee);
                }
            }
            nodes.add(e);
        }
        out.nodeList = nodes;
        long ready = s.nodeList().stream().filter(n -> n.status() == NodeReadiness.Ready).count();
        out.readyNodes = ready + "/" + s.nodeList().size();
        out.activeNodes = s.nodeList().stream().filter(GatewayNode::active).map(GatewayNode::name)
                .collect(Collectors.joining(","));
        if (s.ipUsage() != null) {
            out.ipUsage = new EgressGatewayStatus.IpUsageStatus();
            out.ipUsage.ipv4Total = saturate(s.ipUsage().ipv4Total());
            out.ipUsage.ipv4Free = saturate(s.ipUsage().ipv4Free());
            out.ipUsage.ipv6Total = saturate(s.ipUsage().ipv6Total());
            out.ipUsage.ipv6Free = saturate(s.ipUsage().ipv6Free());
        }
        out.mark = Values.mark(s.mark());
        out.conditions = conditionsToCr(s.conditions());
        return out;
    }

    public static EgressGatewayPolicyStatus policyStatus(PolicyStatus s) {
        EgressGatewayPolicyStatus out = new EgressGatewayPolicyStatus();
        out.observedGeneration = s.observedGeneration();
        if (s.eipV4() != null || s.eipV6() != null) {
            out.eip = new EgressGatewayPolicyStatus.Eip();
            out.eip.ipv4 = s.eipV4();
            out.eip.ipv6 = s.eipV6();
        }
        out.node = s.node();
        out.nodes = s.nodes().isEmpty() ? null : new ArrayList<>(s.nodes());
        out.endpoints = s.endpoints();
        out.conditions = conditionsToCr(s.conditions());
        return out;
    }

    /**
     * Writes the controller's fields of an EgressNode status into {@code target}, keeping the agent's
     * (parent interface, interfaces, TunnelReady).
     */
    public static void controllerFields(EgressNodeStatus target, EgressNode n) {
        target.phase = n.phase() == null ? null : n.phase().name();
        target.vxlanIPv4IP = n.tunnelIPv4();
        target.vxlanIPv6IP = n.tunnelIPv6();
        target.tunnelMac = n.tunnelMac();
        target.mark = Values.mark(n.mark());
        List<Condition> mine = n.conditions().stream().filter(c -> !TUNNEL_READY.equals(c.type())).toList();
        target.conditions = mergeConditions(target.conditions, mine, false);
    }

    /** Replaces one writer's conditions, keeping the other writer's (agent: TunnelReady only). */
    public static List<io.fabric8.kubernetes.api.model.Condition> mergeConditions(
            List<io.fabric8.kubernetes.api.model.Condition> existing, List<Condition> mine, boolean agent) {
        List<io.fabric8.kubernetes.api.model.Condition> out = new ArrayList<>();
        for (var c : Values.list(existing)) {
            boolean agentOwned = TUNNEL_READY.equals(c.getType());
            if (agentOwned != agent) {
                out.add(c);
            }
        }
        List<io.fabric8.kubernetes.api.model.Condition> add = conditionsToCr(mine);
        if (add != null) {
            out.addAll(add);
        }
        out.sort(java.util.Comparator.comparing(io.fabric8.kubernetes.api.model.Condition::getType));
        return out.isEmpty() ? null : out;
    }

    public static EgressClusterInfoStatus clusterInfoStatus(ClusterInfo c, List<Condition> conditions) {
        EgressClusterInfoStatus out = new EgressClusterInfoStatus();
        out.podCIDRs = new ArrayList<>(c.podCIDRs());
        out.serviceCIDRs = new ArrayList<>(c.serviceCIDRs());
        out.nodeIPs = new ArrayList<>(c.nodeIPs());
        out.tunnelCIDRs = new ArrayList<>(c.tunnelCIDRs());
        out.eipPools = new ArrayList<>(c.eipPools());
        out.always = new ArrayList<>(c.always());
        out.extraCIDRs = new ArrayList<>(c.extraCIDRs());
        out.complete = c.complete();
        out.sources = c.sources().isEmpty() ? null : c.sources().stream().map(x -> {
            var src = new EgressClusterInfoStatus.Source();
            src.network = x.network();
            src.cidr = x.cidr();
            src.from = x.from();
            return src;
        }).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        out.conditions = conditionsToCr(conditions);
        return out;
    }

    public static List<EgressEndpointSlice.EndpointEntry> endpoints(List<Endpoint> eps) {
        List<EgressEndpointSlice.EndpointEntry> out = new ArrayList<>();
        for (Endpoint e : eps) {
            var x = new EgressEndpointSlice.EndpointEntry();
            x.namespace = e.namespace();
            x.pod = e.pod();
            x.node = e.node();
            x.ipv4 = new ArrayList<>(e.ipv4());
            x.ipv6 = new ArrayList<>(e.ipv6());
            out.add(x);
        }
        return out;
    }

    /**
     * At most the schema's bounds (Crds.MAX_INTERFACES interfaces, Crds.MAX_INTERFACE_ADDRESSES per
     * family), the first ones in the given order: a node beyond them still reports what fits rather
     * than having every status write refused (docs/api-limits.md).
     */
    public static List<InterfaceEntry> interfaces(List<NodeInterface> in) {
        List<InterfaceEntry> out = new ArrayList<>();
        for (NodeInterface i : in.subList(0, Math.min(in.size(), Crds.MAX_INTERFACES))) {
            InterfaceEntry e = new InterfaceEntry();
            e.name = i.name();
            e.ipv4 = new ArrayList<>(i.ipv4().subList(0, Math.min(i.ipv4().size(), Crds.MAX_INTERFACE_ADDRESSES)));
            e.ipv6 = new ArrayList<>(i.ipv6().subList(0, Math.min(i.ipv6().size(), Crds.MAX_INTERFACE_ADDRESSES)));
            out.add(e);
        }
        return out;
    }

    private static Long saturate(BigInteger b) {
        return b == null ? null : b.min(LONG_MAX).longValue();
    }
}
