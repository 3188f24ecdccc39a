package io.egressgateway.domain.select;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pods a policy selects: by {@code podSelector} (and {@code namespaceSelector} over the
 * namespaces' labels; none means every namespace), or by {@code podSubnet} (pods with an IP in one
 * of the subnets; only those IPs are listed). Never hostNetwork pods (they carry the node's IP:
 * SNATing them would catch the kubelet's traffic), pods without IPs, or terminated pods.
 */
public final class EndpointSelector {
    private EndpointSelector() {
    }

    public static boolean eligible(PodInfo pod) {
        return !pod.hostNetwork() && !pod.terminated() && !pod.ips().isEmpty();
    }

    /**
     * @param namespaceLabels labels of each namespace by name (a missing namespace has no labels)
     * @return endpoints sorted by namespace, then pod name; IPs canonical and sorted
     */
    public static List<Endpoint> select(Policy policy, List<PodInfo> pods, Map<String, Map<String, String>> namespaceLabels) {
        AppliedTo to = policy.appliedTo();
        List<Endpoint> out = new ArrayList<>();
        if (to == null || (to.podSelector() == null && to.podSubnet() == null)) {
            return out;
        }
        List<Cidr> subnets = new ArrayList<>();
        if (to.podSelector() == null) {
            for (String s : to.podSubnet()) {
                Parsed<Cidr.Lenient> c = Cidr.parseLenient(s);
                if (c.isOk()) {
                    subnets.add(c.orElseThrow().cidr());
                }
            }
        }
        for (PodInfo pod : pods) {
            if (!eligible(pod)) {
                continue;
            }
            if (to.podSelector() != null) {
                if (!to.podSelector().matches(pod.labels())) {
                    continue;
                }
                if (to.namespaceSelector() != null
                        && !to.namespaceSelector().matches(namespaceLabels.getOrDefault(pod.namespace(), Map.of()))) {
                    continue;
                }
            }
            TreeSet<IpAddress> ips = new TreeSet<>();
            for (String text : pod.ips()) {
                Parsed<IpAddress> a = IpAddress.parse(text);
                if (a.isOk() && (subnets.isEmpty() && to.podSelector() != null
                        || subnets.stream().anyMatch(c -> c.contains(a.orElseThrow())))) {
                    ips.add(a.orElseThrow());
                }
            }
            if (ips.isEmpty()) {
                continue;
            }
            out.add(new Endpoint(pod.namespace(), pod.name(), pod.nodeName(), texts(ips, Family.IPV4), texts(ips, Family.IPV6)));
        }
        out.sort(Comparator.comparing(Endpoint::namespace).thenComparing(Endpoint::pod));
        return out;
    }

    private static List<String> texts(TreeSet<IpAddress> ips, Family f) {
        return ips.stream().filter(a -> a.family() == f).map(IpAddress::text).toList();
    }
}
