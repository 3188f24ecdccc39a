package io.egressgateway.domain.plan;

import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who this node can reach through the tunnel and over which device. A pair of nodes carries inner
 * family X over the underlay of family X when both have it, else over the other family's underlay
 * when both have that: the rule is symmetric, so replies come back over the device the request
 * left by.
 */
final class Topology {
    /** A Ready peer: allocated (mark, MAC) and in phase Init or Succeeded. Addresses canonical. */
    record Peer(String name, long mark, String mac, Map<Family, String> tunnelIp, Map<Family, String> underlayIp) {
    }

    final PlannerSettings settings;
    final String self;
    final EgressNode selfNode;
    /** Empty when this node has no allocation yet: then there is no tunnel at all. */
    final Map<Family, Underlay> underlays = new EnumMap<>(Family.class);
    final Map<String, Peer> peers = new LinkedHashMap<>();

    Topology(NodeSnapshot s) {
        this.settings = s.settings();
        this.self = s.nodeName();
        this.selfNode = s.egressNodes().stream().filter(n -> n.name().equals(self)).findFirst().orElse(null);
        if (selfNode != null && allocated(selfNode)) {
            for (Underlay u : Underlay.choose(settings, s.facts(), selfNode)) {
                underlays.put(u.family(), u);
            }
        }
        // Two nodes claiming one mark, MAC or tunnel IP (a conflict the controller has not resolved
        // yet) would make two different kernel objects with one key: the first by name keeps it.
        Set<String> taken = new HashSet<>();
        if (selfNode != null && allocated(selfNode)) {
            taken.addAll(identities(selfNode));
        }
        for (EgressNode n : s.egressNodes()) {
            if (n.name().equals(self) || !allocated(n)
                    || (n.phase() != EgressNodePhase.Succeeded && n.phase() != EgressNodePhase.Init)) {
                continue;
            }
            List<String> ids = identities(n);
            if (ids.stream().anyMatch(taken::contains)) {
                continue;
            }
            taken.addAll(ids);
            Map<Family, String> tunnel = new EnumMap<>(Family.class);
            if (Underlay.present(n.tunnelIPv4())) {
                tunnel.put(Family.IPV4, Addr.canonical(n.tunnelIPv4()));
            }
            if (Underlay.present(n.tunnelIPv6())) {
                tunnel.put(Family.IPV6, Addr.canonical(n.tunnelIPv6()));
            }
            Map<Family, String> under = new EnumMap<>(Family.class);
            for (Family f : Underlay.peerFamilies(settings, n)) {
                under.put(f, Addr.canonical(f == Family.IPV4 ? n.physicalInterfaceIPv4() : n.physicalInterfaceIPv6()));
            }
            peers.put(n.name(), new Peer(n.name(), n.mark(), n.tunnelMac().toLowerCase(), tunnel, under));
        }
    }

    private static List<String> identities(EgressNode n) {
        List<String> ids = new ArrayList<>(List.of("mark " + n.mark(), "mac " + n.tunnelMac().toLowerCase()));
        if (Underlay.present(n.tunnelIPv4())) {
            ids.add("ip " + Addr.canonical(n.tunnelIPv4()));
        }
        if (Underlay.present(n.tunnelIPv6())) {
            ids.add("ip " + Addr.canonical(n.tunnelIPv6()));
        }
        return ids;
    }

    static boolean allocated(EgressNode n) {
        return n.mark() != null && Underlay.present(n.tunnelMac());
    }

    boolean hasTunnel() {
        return !underlays.isEmpty();
    }

    /** This node's own tunnel address of {@code inner}, as a CIDR with host bits kept. */
    Optional<String> selfTunnelCidr(Family inner) {
        if (selfNode == null) {
            return Optional.empty();
        }
        String t = inner == Family.IPV4 ? selfNode.tunnelIPv4() : selfNode.tunnelIPv6();
        return Underlay.present(t) ? Optional.of(Addr.net(t).interfaceCidr()) : Optional.empty();
    }

    /** The device this node puts its own tunnel address of {@code inner} on. */
    Optional<String> selfDevice(Family inner) {
        if (underlays.containsKey(inner)) {
            return Optional.of(underlays.get(inner).device());
        }
        return underlays.values().stream().findFirst().map(Underlay::device);
    }

    /** The device that carries inner family {@code inner} to {@code peer}, if any. */
    Optional<String> carrier(Peer peer, Family inner) {
        if (!peer.tunnelIp().containsKey(inner)) {
            return Optional.empty();
        }
        Family other = inner == Family.IPV4 ? Family.IPV6 : Family.IPV4;
        for (Family u : List.of(inner, other)) {
            if (underlays.containsKey(u) && peer.underlayIp().containsKey(u)) {
                return Optional.of(underlays.get(u).device());
            }
        }
        return Optional.empty();
    }

    /** A peer that can take inner family {@code inner} from this node through the tunnel. */
    Optional<Peer> reachable(String name, Family inner) {
        Peer p = peers.get(name);
        return p != null && carrier(p, inner).isPresent() ? Optional.of(p) : Optional.empty();
    }

    static List<String> readyNodes(Gateway g) {
        List<String> out = new ArrayList<>();
        if (g.status() != null) {
            for (GatewayNode n : g.status().nodeList()) {
                if (n.status() == NodeReadiness.Ready) {
                    out.add(n.name());
                }
            }
        }
        out.sort(null);
        return out;
    }
}
