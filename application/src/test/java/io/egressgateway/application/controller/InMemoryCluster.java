package io.egressgateway.application.controller;

import io.egressgateway.application.port.out.ControllerClusterState;
import io.egressgateway.application.port.out.HoldGatewayDeletionPort;
import io.egressgateway.application.port.out.RecordEventPort;
import io.egressgateway.application.port.out.UpdateEgressNodesPort;
import io.egressgateway.application.port.out.UpdateEndpointSlicesPort;
import io.egressgateway.application.port.out.UpdateStatusesPort;
import io.egressgateway.application.port.out.WatchControllerStatePort;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/** An in-memory API server behind the controller's ports: writes change what the next snapshot shows. */
final class InMemoryCluster implements WatchControllerStatePort, UpdateEgressNodesPort, UpdateStatusesPort,
        UpdateEndpointSlicesPort, RecordEventPort, HoldGatewayDeletionPort {
    final Map<String, ClusterNode> nodes = new TreeMap<>();
    final Map<String, EgressNode> egressNodes = new TreeMap<>();
    final Map<String, Gateway> gateways = new TreeMap<>();
    final Map<String, Policy> policies = new TreeMap<>();
    final Map<String, PodInfo> pods = new TreeMap<>();
    final Map<String, EndpointSlice> slices = new TreeMap<>();
    final Map<String, Instant> heartbeats = new TreeMap<>();
    final Set<String> restarting = new java.util.TreeSet<>();
    final List<String> events = new ArrayList<>();
    final Set<String> held = new java.util.TreeSet<>();
    final Set<String> deletingGateways = new java.util.TreeSet<>();
    ClusterInfo clusterInfo;
    int sliceSeq;
    /** Status writes of these policies fail, as a webhook or a quota refusing them would. */
    final Set<String> refusePolicyWrites = new java.util.TreeSet<>();
    int policyWriteAttempts;

    @Override
    public void start(Consumer<String> onChange) {
    }

    @Override
    public boolean synced() {
        return true;
    }

    @Override
    public synchronized ControllerClusterState snapshot() {
        return new ControllerClusterState(List.copyOf(nodes.values()), List.copyOf(egressNodes.values()), Set.of(),
                List.copyOf(gateways.values()), deletingGateways, List.copyOf(policies.values()), List.copyOf(pods.values()), Map.of(),
                List.copyOf(slices.values()), Optional.ofNullable(clusterInfo), heartbeats, restarting);
    }

    @Override
    public void stop() {
    }

    @Override
    public synchronized boolean create(String name) {
        if (egressNodes.containsKey(name)) {
            return false;
        }
        egressNodes.put(name, new EgressNode(name, 1, EgressNodePhase.Pending, null, null, null, null, null, null, null,
                List.of(), Map.of(), List.of()));
        return true;
    }

    @Override
    public synchronized boolean writeStatus(EgressNode d) {
        EgressNode had = egressNodes.get(d.name());
        if (had == null || sameNode(had, d)) {
            return false;
        }
        egressNodes.put(d.name(), d);
        return true;
    }

    private static boolean sameNode(EgressNode a, EgressNode b) {
        return a.phase() == b.phase() && Objects.equals(a.tunnelIPv4(), b.tunnelIPv4())
                && Objects.equals(a.tunnelIPv6(), b.tunnelIPv6()) && Objects.equals(a.tunnelMac(), b.tunnelMac())
                && Objects.equals(a.mark(), b.mark()) && sameConditions(a.conditions(), b.conditions());
    }

    static boolean sameConditions(List<Condition> a, List<Condition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameAs(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized boolean gatewayStatus(String gateway, GatewayStatus status) {
        Gateway g = gateways.get(gateway);
        if (g == null || status.equals(g.status())) {
            return false;
        }
        gateways.put(gateway, new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                status));
        return true;
    }

    @Override
    public synchronized boolean policyStatus(String policy, PolicyStatus status) {
        policyWriteAttempts++;
        if (refusePolicyWrites.contains(policy)) {
            throw new IllegalStateException("refused: policy " + policy);
        }
        Policy p = policies.get(policy);
        if (p == null || status.equals(p.status())) {
            return false;
        }
        policies.put(policy, new Policy(p.name(), p.generation(), p.egressGatewayName(), p.appliedTo(), p.destCIDR(),
                p.egressIP(), p.priority(), status));
        return true;
    }

    @Override
    public synchronized boolean clusterInfo(ClusterInfo info, List<Condition> conditions) {
        if (info.equals(clusterInfo)) {
            return false;
        }
        clusterInfo = info;
        return true;
    }

    @Override
    public synchronized String create(String policy, List<Endpoint> endpoints) {
        String name = policy + "-" + sliceSeq++;
        slices.put(name, new EndpointSlice(name, policy, endpoints));
        return name;
    }

    @Override
    public synchronized boolean update(String slice, List<Endpoint> endpoints) {
        EndpointSlice s = slices.get(slice);
        if (s == null || s.endpoints().equals(endpoints)) {
            return false;
        }
        slices.put(slice, new EndpointSlice(slice, s.policy(), endpoints));
        return true;
    }

    @Override
    public synchronized boolean delete(String slice) {
        return slices.remove(slice) != null;
    }

    @Override
    public synchronized boolean hold(String gateway) {
        return held.add(gateway);
    }

    @Override
    public synchronized boolean release(String gatewayOrNode) {
        if (held.remove(gatewayOrNode)) {
            if (deletingGateways.remove(gatewayOrNode)) {
                gateways.remove(gatewayOrNode);
            }
            return true;
        }
        return egressNodes.remove(gatewayOrNode) != null;
    }

    @Override
    public synchronized void record(String kind, String name, Type type, String reason, String message) {
        events.add(kind + "/" + name + " " + reason + ": " + message);
    }
}
