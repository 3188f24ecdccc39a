package io.egressgateway.application.port.out;

import io.egressgateway.domain.cluster.DiscoveredNetworks;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable view of what the controller's informers hold, taken once per pass, lists sorted by
 * name. {@code egressNodes} carry {@code programmed} from the nodes' Leases; {@code heartbeats} is
 * each node's last Lease renewal; {@code deletingEgressNodes} and {@code deletingGateways} are
 * objects with a deletion timestamp; {@code namespaceLabels} serve policies' namespaceSelectors;
 * {@code restarting} names nodes whose Lease a stopping agent marked "restarting";
 * {@code discovered} holds the ServiceCIDR objects and Calico IPPools the API server serves;
 * {@code moveRequests} holds each gateway's EIP move annotation (gateway name to its text) where one is set.
 */
public record ControllerClusterState(List<ClusterNode> nodes, List<EgressNode> egressNodes,
                                     Set<String> deletingEgressNodes, List<Gateway> gateways,
                                     Set<String> deletingGateways, List<Policy> policies,
                                     List<PodInfo> pods, Map<String, Map<String, String>> namespaceLabels,
                                     List<EndpointSlice> endpointSlices, Optional<ClusterInfo> clusterInfo,
                                     Map<String, Instant> heartbeats, Set<String> restarting,
                                     DiscoveredNetworks discovered, Map<String, String> moveRequests) {
    public ControllerClusterState(List<ClusterNode> nodes, List<EgressNode> egressNodes, Set<String> deletingEgressNodes,
                                  List<Gateway> gateways, Set<String> deletingGateways, List<Policy> policies,
                                  List<PodInfo> pods, Map<String, Map<String, String>> namespaceLabels,
                                  List<EndpointSlice> endpointSlices, Optional<ClusterInfo> clusterInfo,
                                  Map<String, Instant> heartbeats, Set<String> restarting, DiscoveredNetworks discovered) {
        this(nodes, egressNodes, deletingEgressNodes, gateways, deletingGateways, policies, pods, namespaceLabels,
                endpointSlices, clusterInfo, heartbeats, restarting, discovered, Map.of());
    }

    public ControllerClusterState(List<ClusterNode> nodes, List<EgressNode> egressNodes, Set<String> deletingEgressNodes,
                                  List<Gateway> gateways, Set<String> deletingGateways, List<Policy> policies,
                                  List<PodInfo> pods, Map<String, Map<String, String>> namespaceLabels,
                                  List<EndpointSlice> endpointSlices, Optional<ClusterInfo> clusterInfo,
                                  Map<String, Instant> heartbeats, Set<String> restarting, Map<String, String> moveRequests) {
        this(nodes, egressNodes, deletingEgressNodes, gateways, deletingGateways, policies, pods, namespaceLabels,
                endpointSlices, clusterInfo, heartbeats, restarting, DiscoveredNetworks.NONE, moveRequests);
    }

    public ControllerClusterState(List<ClusterNode> nodes, List<EgressNode> egressNodes, Set<String> deletingEgressNodes,
                                  List<Gateway> gateways, Set<String> deletingGateways, List<Policy> policies,
                                  List<PodInfo> pods, Map<String, Map<String, String>> namespaceLabels,
                                  List<EndpointSlice> endpointSlices, Optional<ClusterInfo> clusterInfo,
                                  Map<String, Instant> heartbeats) {
        this(nodes, egressNodes, deletingEgressNodes, gateways, deletingGateways, policies, pods, namespaceLabels,
                endpointSlices, clusterInfo, heartbeats, Set.of(), DiscoveredNetworks.NONE, Map.of());
    }

    public ControllerClusterState(List<ClusterNode> nodes, List<EgressNode> egressNodes, Set<String> deletingEgressNodes,
                                  List<Gateway> gateways, Set<String> deletingGateways, List<Policy> policies,
                                  List<PodInfo> pods, Map<String, Map<String, String>> namespaceLabels,
                                  List<EndpointSlice> endpointSlices, Optional<ClusterInfo> clusterInfo,
                                  Map<String, Instant> heartbeats, Set<String> restarting) {
        this(nodes, egressNodes, deletingEgressNodes, gateways, deletingGateways, policies, pods, namespaceLabels,
                endpointSlices, clusterInfo, heartbeats, restarting, DiscoveredNetworks.NONE, Map.of());
    }

    public ControllerClusterState {
        nodes = List.copyOf(nodes);
        egressNodes = List.copyOf(egressNodes);
        deletingEgressNodes = Set.copyOf(deletingEgressNodes);
        gateways = List.copyOf(gateways);
        deletingGateways = Set.copyOf(deletingGateways);
        policies = List.copyOf(policies);
        pods = List.copyOf(pods);
        namespaceLabels = Map.copyOf(namespaceLabels);
        endpointSlices = List.copyOf(endpointSlices);
        heartbeats = Map.copyOf(heartbeats);
        restarting = restarting == null ? Set.of() : Set.copyOf(restarting);
        discovered = discovered == null ? DiscoveredNetworks.NONE : discovered;
        moveRequests = moveRequests == null ? Map.of() : Map.copyOf(moveRequests);
    }
}
