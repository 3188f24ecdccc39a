package io.egressgateway.domain.select;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Policy semantics for one pod and one destination, as the datapath applies them: which policies
 * select a pod ({@link EndpointSelector}'s rules), the order in which they are tried (the agent's
 * iptables rule order: priority descending, then name; the first match wins), and whether a
 * destination is one a policy sends to its gateway. Used by the agent's planner (the order) and by
 * {@code egressgateway ctl explain}; every "no" comes with its reason.
 */
public final class PolicyMatch {
    /** Higher priority first, ties by name: the order of the agent's rules, so the first match wins. */
    public static final Comparator<Policy> RULE_ORDER =
            Comparator.comparingInt(Policy::priority).reversed().thenComparing(Policy::name);

    private PolicyMatch() {
    }

    /** Whether a policy selects a pod, and if not, why (naming the field to change). */
    public record Selection(boolean selected, String reason) {
    }

    /** Whether packets to a destination go to the policy's gateway, and why (or why not). */
    public record Destination(boolean matches, String reason) {
    }

    public static Selection selection(Policy p, PodInfo pod, Map<String, String> namespaceLabels) {
        if (pod.hostNetwork()) {
            return new Selection(false, "the pod uses the host network: its traffic carries the node's address and is never steered");
        }
        if (pod.terminated()) {
            return new Selection(false, "the pod has terminated");
        }
        if (pod.ips().isEmpty()) {
            return new Selection(false, "the pod has no IP yet");
        }
        AppliedTo to = p.appliedTo();
        if (to == null || to.podSelector() == null && to.podSubnet() == null) {
            return new Selection(false, "spec.appliedTo selects nothing");
        }
        boolean selected = !EndpointSelector.select(p, List.of(pod),
                Map.of(pod.namespace(), namespaceLabels == null ? Map.of() : namespaceLabels)).isEmpty();
        if (selected) {
            return new Selection(true, to.podSelector() != null ? "spec.appliedTo.podSelector matches the pod's labels"
                    + (to.namespaceSelector() != null ? " and namespaceSelector its namespace's" : "")
                    : "a pod IP lies in spec.appliedTo.podSubnet " + to.podSubnet());
        }
        if (to.podSelector() == null) {
            return new Selection(false, "no pod IP " + pod.ips() + " lies in spec.appliedTo.podSubnet " + to.podSubnet());
        }
        if (!to.podSelector().matches(pod.labels())) {
            return new Selection(false, "spec.appliedTo.podSelector does not match the pod's labels " + pod.labels());
        }
        return new Selection(false, "spec.appliedTo.namespaceSelector does not match the labels of namespace "
                + pod.namespace() + " " + (namespaceLabels == null ? Map.of() : namespaceLabels));
    }

    /**
     * An empty destCIDR sends every destination outside the cluster's own networks (and nothing while
     * the cluster info is incomplete); a non-empty one sends exactly its CIDRs.
     */
    public static Destination destination(Policy p, Optional<ClusterInfo> info, IpAddress dest) {
        if (p.destCIDR().isEmpty()) {
            if (info.isEmpty() || !info.get().complete()) {
                return new Destination(false, "spec.destCIDR is empty and EgressClusterInfo/default is incomplete"
                        + " (no service CIDR known): the policy is not programmed for any destination");
            }
            Optional<String> excluded = excludedBy(info.get(), dest);
            return excluded.map(why -> new Destination(false, dest.text() + " is a cluster network (EgressClusterInfo "
                            + why + "), which an empty spec.destCIDR excludes"))
                    .orElseGet(() -> new Destination(true, "spec.destCIDR is empty: every destination outside the"
                            + " cluster's networks"));
        }
        for (String c : p.destCIDR()) {
            Parsed<Cidr.Lenient> cidr = Cidr.parseLenient(c);
            if (cidr.isOk() && cidr.orElseThrow().cidr().contains(dest)) {
                return new Destination(true, dest.text() + " lies in spec.destCIDR " + c);
            }
        }
        return new Destination(false, dest.text() + " is not in spec.destCIDR " + p.destCIDR());
    }

    /** The status list and entry of the cluster info that contain the address, e.g. {@code serviceCIDRs 10.96.0.0/12}. */
    public static Optional<String> excludedBy(ClusterInfo info, IpAddress dest) {
        for (Map.Entry<String, List<String>> e : info.excluded().entrySet()) {
            for (String c : e.getValue()) {
                Parsed<Cidr> cidr = Cidr.parseAddressOrCidr(c);
                if (cidr.isOk() && cidr.orElseThrow().contains(dest)) {
                    return Optional.of(e.getKey() + " " + c);
                }
            }
        }
        return Optional.empty();
    }
}
