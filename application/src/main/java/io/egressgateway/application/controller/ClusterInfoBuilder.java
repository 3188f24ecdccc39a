package io.egressgateway.application.controller;

import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.Parsed;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code EgressClusterInfo/default} from the configuration, the Nodes and the gateways' pools. Pools
 * are rendered as CIDRs (ranges split), because agents put them in ipsets. Complete only when a
 * service CIDR is configured: without it, an empty destCIDR would send Service traffic to a gateway.
 */
public final class ClusterInfoBuilder {
    public static final String INCOMPLETE = "ClusterCIDRsIncomplete";

    private ClusterInfoBuilder() {
    }

    public static ClusterInfo build(Settings settings, List<ClusterNode> nodes, List<Gateway> gateways) {
        TreeSet<String> pods = new TreeSet<>(settings.cluster().podCIDRs());
        TreeSet<String> nodeIps = new TreeSet<>();
        for (ClusterNode n : nodes) {
            pods.addAll(n.podCIDRs());
            nodeIps.addAll(n.internalIPs());
        }
        TreeSet<String> tunnels = new TreeSet<>();
        if (settings.enableIPv4()) {
            tunnels.add(settings.tunnel().ipv4CIDR());
        }
        if (settings.enableIPv6()) {
            tunnels.add(settings.tunnel().ipv6CIDR());
        }
        TreeSet<String> pools = new TreeSet<>();
        for (Gateway g : gateways) {
            if (g.ippools() == null) {
                continue;
            }
            addPool(pools, Family.IPV4, g.ippools().ipv4());
            addPool(pools, Family.IPV6, g.ippools().ipv6());
        }
        return new ClusterInfo(List.copyOf(pods), settings.cluster().serviceCIDRs(), List.copyOf(nodeIps),
                List.copyOf(tunnels), List.copyOf(pools), ClusterInfo.ALWAYS, settings.cluster().extraCIDRs(),
                !settings.cluster().serviceCIDRs().isEmpty());
    }

    private static void addPool(TreeSet<String> out, Family family, List<String> entries) {
        for (String e : entries) {
            // entries that do not parse are skipped here; admission and the gateway status report them
            Parsed<IpPool.Entry> p = IpPool.parseEntry(e, family);
            if (p.isOk()) {
                IpPool one = IpPool.of(family, List.of(p.orElseThrow().range()));
                one.toCidrs().stream().map(Cidr::text).forEach(out::add);
            }
        }
    }
}
