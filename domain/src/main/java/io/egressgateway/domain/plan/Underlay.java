package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One underlay of this node: the tunnel device for it, its parent interface and the local address
 * the VXLAN packets leave from. The agent reports these in its EgressNode
 * ({@code physicalInterface}, {@code physicalInterfaceIPv4/IPv6}) so that peers build the same
 * pairs; {@link #choose} is the one rule both sides use.
 */
public record Underlay(Family family, String device, String parent, String localIp, int tunnelMtu) {
    /** VXLAN over IPv4 costs 50 bytes (outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8), over IPv6 70. */
    public static int overhead(Family family) {
        return family == Family.IPV4 ? 50 : 70;
    }

    /**
     * The underlays this node uses: each family whose parent (configured, or the family's
     * default-route device) has a usable address. Families the cluster has not enabled are used only
     * when the node has no underlay of an enabled family. The local address is the one the node's
     * EgressNode already reports when it is still on the parent, otherwise the parent's first one.
     */
    public static List<Underlay> choose(PlannerSettings settings, NodeFacts facts, EgressNode self) {
        List<Underlay> available = new ArrayList<>();
        for (Family f : Family.values()) {
            String parentName = PlannerSettings.AUTO.equals(settings.parentInterface())
                    ? (f == Family.IPV4 ? facts.defaultRouteDeviceV4() : facts.defaultRouteDeviceV6())
                    : settings.parentInterface();
            if (parentName == null) {
                continue;
            }
            Optional<InterfaceFacts> parent = facts.find(parentName);
            if (parent.isEmpty()) {
                continue;
            }
            String preferred = self == null ? null
                    : f == Family.IPV4 ? self.physicalInterfaceIPv4() : self.physicalInterfaceIPv6();
            String local = localAddress(f == Family.IPV4 ? parent.get().ipv4() : parent.get().ipv6(), preferred);
            if (local != null) {
                available.add(new Underlay(f, settings.device(f), parentName, local,
                        parent.get().mtu() - overhead(f)));
            }
        }
        List<Underlay> enabled = available.stream().filter(u -> settings.enabled(u.family())).toList();
        return enabled.isEmpty() ? List.copyOf(available) : enabled;
    }

    /** The families a peer's EgressNode reports underlays for, by the same rule as {@link #choose}. */
    static List<Family> peerFamilies(PlannerSettings settings, EgressNode peer) {
        List<Family> available = new ArrayList<>();
        if (present(peer.physicalInterfaceIPv4())) {
            available.add(Family.IPV4);
        }
        if (present(peer.physicalInterfaceIPv6())) {
            available.add(Family.IPV6);
        }
        List<Family> enabled = available.stream().filter(settings::enabled).toList();
        return enabled.isEmpty() ? available : enabled;
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String localAddress(List<String> cidrs, String preferred) {
        List<String> usable = new ArrayList<>();
        for (String c : cidrs) {
            Addr.Net n = Addr.net(c);
            if (!Addr.isLinkLocal(n.bytes())) {
                usable.add(n.address());
            }
        }
        if (present(preferred)) {
            String p = Addr.canonical(preferred);
            if (usable.contains(p)) {
                return p;
            }
        }
        return usable.isEmpty() ? null : usable.get(0);
    }
}
