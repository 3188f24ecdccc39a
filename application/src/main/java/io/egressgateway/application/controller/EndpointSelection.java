package io.egressgateway.application.controller;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The pods a policy selects, as endpoints sorted by namespace and name. Only podSelector policies
 * have endpoints (podSubnet policies are CIDRs the agents use directly). Pods on the host network,
 * finished or being deleted, or without an IP are never endpoints. Selectors are evaluated here,
 * never by the API server.
 */
public final class EndpointSelection {
    private EndpointSelection() {
    }

    public static List<Endpoint> select(Policy policy, List<PodInfo> pods, Map<String, Map<String, String>> namespaces) {
        if (policy.appliedTo() == null || policy.appliedTo().podSelector() == null) {
            return List.of();
        }
        var podSel = policy.appliedTo().podSelector();
        var nsSel = policy.appliedTo().namespaceSelector();
        List<Endpoint> out = new ArrayList<>();
        for (PodInfo p : pods) {
            if (p.hostNetwork() || p.terminated() || p.ips().isEmpty() || !podSel.matches(p.labels())) {
                continue;
            }
            if (nsSel != null && !nsSel.matches(namespaces.getOrDefault(p.namespace(), Map.of()))) {
                continue;
            }
            List<String> v4 = new ArrayList<>();
            List<String> v6 = new ArrayList<>();
            for (String ip : p.ips()) {
                (Family.of(ip) == Family.IPV4 ? v4 : v6).add(ip);
            }
            out.add(new Endpoint(p.namespace(), p.name(), p.nodeName(), v4, v6));
        }
        out.sort(Comparator.comparing(Endpoint::namespace).thenComparing(Endpoint::pod));
        return out;
    }
}
