package io.egressgateway.adapters.kubernetes.mapping;

import static io.egressgateway.adapters.kubernetes.mapping.Values.conditions;
import static io.egressgateway.adapters.kubernetes.mapping.Values.emptyToNull;
import static io.egressgateway.adapters.kubernetes.mapping.Values.list;
import static io.egressgateway.adapters.kubernetes.mapping.Values.selector;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicySpec;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayStatus;
import io.egressgateway.adapters.kubernetes.crd.InterfaceEntry;
import io.egressgateway.adapters.kubernetes.crd.NamedRef;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
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
import io.egressgateway.domain.model.IpUsage;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster objects to domain records. Unknown enum text (an old or hand-edited object) maps to "not
 * given" rather than failing, so one bad object never stops a whole snapshot.
 */
public final class ResourceMapping {
    private ResourceMapping() {
    }

    public static Gateway gateway(EgressGateway cr) {
        var spec = cr.getSpec();
        IpPools pools = IpPools.empty();
        if (spec != null && spec.ippools != null) {
            pools = new IpPools(spec.ippools.ipv4, spec.ippools.ipv6, emptyToNull(spec.ippools.ipv4DefaultEIP),
                    emptyToNull(spec.ippools.ipv6DefaultEIP));
        }
        return new Gateway(cr.getMetadata().getName(), generation(cr.getMetadata().getGeneration()),
                spec == null ? null : selector(spec.nodeSelector), pools,
                spec != null && Boolean.TRUE.equals(spec.clusterDefault), gatewayStatus(cr.getStatus()));
    }

    static GatewayStatus gatewayStatus(EgressGatewayStatus s) {
        if (s == null) {
            return null;
        }
        List<GatewayNode> nodes = new ArrayList<>();
        for (var n : list(s.nodeList)) {
            List<EipAssignment> eips = new ArrayList<>();
            for (var e : list(n.eips)) {
                eips.add(new EipAssignment(emptyToNull(e.ipv4), emptyToNull(e.ipv6),
                        list(e.policies).stream().map(r -> r.name).toList()));
            }
            nodes.add(new GatewayNode(n.name, readiness(n.status), Boolean.TRUE.equals(n.active),
                    interfaces(n.interfaces), eips));
        }
        IpUsage usage = s.ipUsage == null ? null : new IpUsage(big(s.ipUsage.ipv4Total), big(s.ipUsage.ipv4Free),
                big(s.ipUsage.ipv6Total), big(s.ipUsage.ipv6Free));
        ForwardMethod fm = null;
        try {
            fm = s.forwardMethod == null ? null : ForwardMethod.parse(s.forwardMethod);
        } catch (IllegalArgumentException ignored) {
            // an unknown spelling is treated as "not reported yet"
        }
        return new GatewayStatus(generation(s.observedGeneration), fm, nodes, usage, Values.mark(s.mark),
                conditions(s.conditions));
    }

    public static Policy policy(EgressGatewayPolicy cr) {
        EgressGatewayPolicySpec spec = cr.getSpec() == null ? new EgressGatewayPolicySpec() : cr.getSpec();
        AppliedTo appliedTo = spec.appliedTo == null ? new AppliedTo(null, null, null)
                : new AppliedTo(selector(spec.appliedTo.podSelector), selector(spec.appliedTo.namespaceSelector),
                        spec.appliedTo.podSubnet);
        EgressIpSpec eip = spec.egressIP == null ? new EgressIpSpec(null, null, null, AllocatorPolicy.DEFAULT)
                : new EgressIpSpec(mode(spec.egressIP.mode), emptyToNull(spec.egressIP.ipv4),
                        emptyToNull(spec.egressIP.ipv6), "rr".equals(spec.egressIP.allocatorPolicy)
                        ? AllocatorPolicy.RR : AllocatorPolicy.DEFAULT);
        PolicyStatus status = null;
        var s = cr.getStatus();
        if (s != null) {
            status = new PolicyStatus(generation(s.observedGeneration), s.eip == null ? null : emptyToNull(s.eip.ipv4),
                    s.eip == null ? null : emptyToNull(s.eip.ipv6), emptyToNull(s.node), s.nodes,
                    s.endpoints == null ? 0 : s.endpoints, conditions(s.conditions));
        }
        return new Policy(cr.getMetadata().getName(), generation(cr.getMetadata().getGeneration()),
                emptyToNull(spec.egressGatewayName), appliedTo, spec.destCIDR, eip,
                spec.priority == null ? 0 : spec.priority, status);
    }

    /**
     * The EgressNode as stored; {@code programmed} comes from the node's Lease (only the controller
     * reads it there) and is passed in, empty for agents.
     */
    public static EgressNode egressNode(io.egressgateway.adapters.kubernetes.crd.EgressNode cr,
                                        Map<String, Long> programmed) {
        var s = cr.getStatus();
        String name = cr.getMetadata().getName();
        long gen = generation(cr.getMetadata().getGeneration());
        if (s == null) {
            return new EgressNode(name, gen, EgressNodePhase.Pending, null, null, null, null, null, null, null,
                    List.of(), programmed, List.of());
        }
        EgressNodePhase phase = EgressNodePhase.Pending;
        try {
            phase = s.phase == null ? EgressNodePhase.Pending : EgressNodePhase.valueOf(s.phase);
        } catch (IllegalArgumentException ignored) {
            // unknown phase text: treat as not allocated yet
        }
        return new EgressNode(name, gen, phase, emptyToNull(s.vxlanIPv4IP), emptyToNull(s.vxlanIPv6IP),
                emptyToNull(s.tunnelMac), Values.mark(s.mark), emptyToNull(s.physicalInterface),
                emptyToNull(s.physicalInterfaceIPv4), emptyToNull(s.physicalInterfaceIPv6), interfaces(s.interfaces),
                programmed, conditions(s.conditions));
    }

    public static EndpointSlice slice(EgressEndpointSlice cr) {
        String policy = cr.getMetadata().getLabels() == null ? null
                : cr.getMetadata().getLabels().get(Crds.POLICY_LABEL);
        List<Endpoint> eps = new ArrayList<>();
        for (var e : list(cr.endpoints)) {
            eps.add(new Endpoint(e.namespace, e.pod, e.node, list(e.ipv4), list(e.ipv6)));
        }
        return new EndpointSlice(cr.getMetadata().getName(), policy, eps);
    }

    public static ClusterInfo clusterInfo(EgressClusterInfo cr) {
        var s = cr.getStatus();
        if (s == null) {
            return new ClusterInfo(List.of(), List.of(), List.of(), List.of(), List.of(), ClusterInfo.ALWAYS, List.of(),
                    false);
        }
        return new ClusterInfo(list(s.podCIDRs), list(s.serviceCIDRs), list(s.nodeIPs), list(s.tunnelCIDRs),
                list(s.eipPools), s.always == null ? ClusterInfo.ALWAYS : s.always, list(s.extraCIDRs),
                Boolean.TRUE.equals(s.complete), list(s.sources).stream()
                        .map(x -> new ClusterInfo.CidrSource(x.network, x.cidr, x.from)).toList());
    }

    public static ClusterNode node(Node n) {
        boolean ready = false;
        List<String> internal = new ArrayList<>();
        if (n.getStatus() != null) {
            for (NodeCondition c : list(n.getStatus().getConditions())) {
                if ("Ready".equals(c.getType())) {
                    ready = "True".equals(c.getStatus());
                }
            }
            for (NodeAddress a : list(n.getStatus().getAddresses())) {
                if ("InternalIP".equals(a.getType())) {
                    internal.add(a.getAddress());
                }
            }
        }
        List<String> podCidrs = new ArrayList<>();
        if (n.getSpec() != null) {
            podCidrs.addAll(list(n.getSpec().getPodCIDRs()));
            if (podCidrs.isEmpty() && n.getSpec().getPodCIDR() != null) {
                podCidrs.add(n.getSpec().getPodCIDR());
            }
        }
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
        return new ClusterNode(n.getMetadata().getName(), labels, ready, podCidrs, internal);
    }

    public static PodInfo pod(Pod p) {
        List<String> ips = new ArrayList<>();
        boolean terminated = p.getMetadata().getDeletionTimestamp() != null;
        if (p.getStatus() != null) {
            for (PodIP ip : list(p.getStatus().getPodIPs())) {
                ips.add(ip.getIp());
            }
            if (ips.isEmpty() && p.getStatus().getPodIP() != null) {
                ips.add(p.getStatus().getPodIP());
            }
            String phase = p.getStatus().getPhase();
            terminated |= "Succeeded".equals(phase) || "Failed".equals(phase);
        }
        boolean host = p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork());
        Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        return new PodInfo(p.getMetadata().getNamespace(), p.getMetadata().getName(), labels,
                p.getSpec() == null ? null : p.getSpec().getNodeName(), ips, host, terminated);
    }

    static List<NodeInterface> interfaces(List<InterfaceEntry> in) {
        return list(in).stream().map(i -> new NodeInterface(i.name, list(i.ipv4), list(i.ipv6))).toList();
    }

    static List<NamedRef> refs(List<String> names) {
        return names.stream().map(NamedRef::new).toList();
    }

    private static NodeReadiness readiness(String s) {
        try {
            return s == null ? NodeReadiness.Unknown : NodeReadiness.valueOf(s);
        } catch (IllegalArgumentException e) {
            return NodeReadiness.Unknown;
        }
    }

    private static EgressIpMode mode(String s) {
        try {
            return s == null || s.isEmpty() ? null : EgressIpMode.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static BigInteger big(Long l) {
        return l == null ? null : BigInteger.valueOf(l);
    }

    private static long generation(Long g) {
        return g == null ? 0 : g;
    }
}
