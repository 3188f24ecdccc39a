package io.egressgateway.application.controller;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricFamily.Sample;
import io.egressgateway.application.metrics.MetricFamily.Type;
import io.egressgateway.domain.election.ElectionResult;
import io.egressgateway.domain.election.PolicyDecision;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpUsage;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The gauges one pass derives from the cluster (docs/metrics.md): per gateway its Ready nodes and
 * pool usage, per policy whether it has its EIP and a Ready gateway node, EgressNodes by phase.
 * A gateway skipped for an invalid spec reports 0 Ready nodes and no pool; a policy in mode NodeIP or
 * None has no EIP to report.
 */
final class ControllerGauges {
    private ControllerGauges() {
    }

    record Input(List<Gateway> gateways, Map<String, ElectionResult> elections, List<Policy> policies,
                 Map<String, PolicyDecision> decisions, List<EgressNode> egressNodes, boolean ipv4, boolean ipv6) {
    }

    static List<MetricFamily> of(Input in) {
        List<Sample> ready = new ArrayList<>();
        List<Sample> assigned = new ArrayList<>();
        List<Sample> pool = new ArrayList<>();
        for (Gateway gw : in.gateways()) {
            ElectionResult r = in.elections().get(gw.name());
            long n = r == null ? 0 : r.status().nodeList().stream().filter(x -> x.status() == NodeReadiness.Ready).count();
            ready.add(new Sample(Map.of("gateway", gw.name()), n));
            IpUsage u = r == null ? null : r.status().ipUsage();
            if (u != null) {
                usage(assigned, pool, gw.name(), "ipv4", u.ipv4Total(), u.ipv4Free());
                usage(assigned, pool, gw.name(), "ipv6", u.ipv6Total(), u.ipv6Free());
            }
        }
        List<Sample> eip = new ArrayList<>();
        List<Sample> gwReady = new ArrayList<>();
        for (Policy pol : in.policies()) {
            PolicyDecision d = in.decisions().get(pol.name());
            gwReady.add(new Sample(Map.of("policy", pol.name()), d != null && d.placed() ? 1 : 0));
            if (d != null && d.mode() != EgressIpMode.EgressIP) {
                continue;
            }
            if (in.ipv4()) {
                eip.add(new Sample(Map.of("policy", pol.name(), "family", "ipv4"), d != null && d.eipV4() != null ? 1 : 0));
            }
            if (in.ipv6()) {
                eip.add(new Sample(Map.of("policy", pol.name(), "family", "ipv6"), d != null && d.eipV6() != null ? 1 : 0));
            }
        }
        Map<EgressNodePhase, Integer> phases = new EnumMap<>(EgressNodePhase.class);
        for (EgressNodePhase ph : EgressNodePhase.values()) {
            phases.put(ph, 0);
        }
        in.egressNodes().forEach(e -> phases.merge(e.phase() == null ? EgressNodePhase.Pending : e.phase(), 1, Integer::sum));
        List<Sample> byPhase = new ArrayList<>();
        phases.forEach((ph, n) -> byPhase.add(new Sample(Map.of("phase", ph.name()), n)));
        return List.of(
                new MetricFamily("egressgateway_gateway_nodes_ready", "Ready nodes of a gateway (may carry its EIPs).",
                        Type.GAUGE, ready),
                new MetricFamily("egressgateway_gateway_eips_assigned", "EIPs of a gateway's pool in use by policies.",
                        Type.GAUGE, assigned),
                new MetricFamily("egressgateway_gateway_eip_pool_size", "Addresses in a gateway's EIP pool.", Type.GAUGE, pool),
                new MetricFamily("egressgateway_policy_eip_assigned",
                        "1 when the policy (mode EgressIP) has an EIP of the family, else 0.", Type.GAUGE, eip),
                new MetricFamily("egressgateway_policy_gateway_ready",
                        "1 when a Ready node of the policy's gateway carries its traffic (and EIP), else 0.", Type.GAUGE, gwReady),
                new MetricFamily("egressgateway_nodes", "EgressNodes by phase.", Type.GAUGE, byPhase));
    }

    private static void usage(List<Sample> assigned, List<Sample> pool, String gw, String family, BigInteger total,
                              BigInteger free) {
        if (total == null || total.signum() == 0) {
            return;
        }
        Map<String, String> l = Map.of("gateway", gw, "family", family);
        pool.add(new Sample(l, total.doubleValue()));
        assigned.add(new Sample(l, free == null ? 0 : total.subtract(free).doubleValue()));
    }
}
