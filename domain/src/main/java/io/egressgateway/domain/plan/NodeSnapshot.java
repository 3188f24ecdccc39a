package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything one node's plan depends on, taken once per pass. The planner reads nothing else. The
 * lists are sorted here (by name) whatever order they arrive in, so a plan never depends on the
 * order an informer happened to deliver objects in.
 *
 * @param nodeName        this node
 * @param facts           this node's interfaces and default-route devices, read from its kernel
 * @param clusterInfo     null while the controller has not published it (policies with an empty
 *                        destCIDR are then not programmed)
 * @param observedSysctls current values of sysctls the plan may name (path relative to /proc/sys);
 *                        node-wide settings such as fib_multipath_hash_policy are only changed where
 *                        they are 0, so the planner needs to know them. Empty when unknown.
 */
public record NodeSnapshot(String nodeName, NodeFacts facts, List<EgressNode> egressNodes, List<Gateway> gateways,
                           List<Policy> policies, List<EndpointSlice> endpointSlices, ClusterInfo clusterInfo,
                           PlannerSettings settings, Map<String, String> observedSysctls) {
    public NodeSnapshot {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must be given");
        }
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(settings, "settings");
        egressNodes = sortedUnique("EgressNode", egressNodes, EgressNode::name);
        gateways = sortedUnique("EgressGateway", gateways, Gateway::name);
        policies = sortedUnique("EgressGatewayPolicy", policies, Policy::name);
        endpointSlices = sortedUnique("EgressEndpointSlice", endpointSlices, EndpointSlice::name);
        observedSysctls = observedSysctls == null ? Map.of() : Map.copyOf(observedSysctls);
    }

    public NodeSnapshot(String nodeName, NodeFacts facts, List<EgressNode> egressNodes, List<Gateway> gateways,
                        List<Policy> policies, List<EndpointSlice> endpointSlices, ClusterInfo clusterInfo,
                        PlannerSettings settings) {
        this(nodeName, facts, egressNodes, gateways, policies, endpointSlices, clusterInfo, settings, Map.of());
    }

    private static <T> List<T> sortedUnique(String kind, List<T> items, Function<T, String> name) {
        List<T> sorted = items.stream().sorted(Comparator.comparing(name)).toList();
        Set<String> seen = new HashSet<>();
        for (T t : sorted) {
            if (!seen.add(name.apply(t))) {
                throw new IllegalArgumentException("two " + kind + " objects named '" + name.apply(t) + "' in one snapshot");
            }
        }
        return sorted;
    }
}
