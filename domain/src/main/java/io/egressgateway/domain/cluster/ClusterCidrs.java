package io.egressgateway.domain.cluster;

import io.egressgateway.domain.alloc.GatewayPools;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Computes {@code EgressClusterInfo}: pod CIDRs (configured and every Node's podCIDRs, with CIDRs
 * inside another one dropped), service CIDRs, every Node's InternalIP, the tunnel CIDRs, every
 * gateway's pools as exact CIDRs, the always-excluded list and the extra CIDRs. Everything is
 * canonical and sorted (IPv4 first), so an unchanged cluster yields an equal object and no write.
 * {@code complete} is false while no service CIDR is known: without it an empty destCIDR would
 * send Service traffic to a gateway.
 */
public final class ClusterCidrs {
    private ClusterCidrs() {
    }

    /** The configured sources ({@code cluster.*} and {@code tunnel.*CIDR} settings). */
    public record Config(List<String> podCIDRs, List<String> serviceCIDRs, List<String> extraCIDRs,
                         List<String> tunnelCIDRs) {
        public Config {
            podCIDRs = podCIDRs == null ? List.of() : List.copyOf(podCIDRs);
            serviceCIDRs = serviceCIDRs == null ? List.of() : List.copyOf(serviceCIDRs);
            extraCIDRs = extraCIDRs == null ? List.of() : List.copyOf(extraCIDRs);
            tunnelCIDRs = tunnelCIDRs == null ? List.of() : List.copyOf(tunnelCIDRs);
        }
    }

    /** The info, and what was skipped or normalised on the way (for a log line or a condition message). */
    public record Result(ClusterInfo info, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    public static Result compute(Config config, List<ClusterNode> nodes, List<Gateway> gateways) {
        List<String> problems = new ArrayList<>();
        TreeSet<Cidr> pods = new TreeSet<>(cidrs("cluster.podCIDRs", config.podCIDRs(), problems));
        for (ClusterNode n : nodes) {
            pods.addAll(cidrs("node " + n.name() + " spec.podCIDRs", n.podCIDRs(), problems));
        }
        TreeSet<IpAddress> nodeIps = new TreeSet<>();
        for (ClusterNode n : nodes) {
            for (String ip : n.internalIPs()) {
                Parsed<IpAddress> a = IpAddress.parse(ip);
                if (a.isOk()) {
                    nodeIps.add(a.orElseThrow());
                } else {
                    problems.add("node " + n.name() + " InternalIP: " + a.message());
                }
            }
        }
        TreeSet<Cidr> pools = new TreeSet<>();
        for (Gateway g : gateways) {
            GatewayPools p = GatewayPools.of(g.ippools());
            for (Family f : Family.values()) {
                pools.addAll(p.pool(f).toCidrs());
            }
        }
        List<String> services = texts(collapse(cidrs("cluster.serviceCIDRs", config.serviceCIDRs(), problems)));
        ClusterInfo info = new ClusterInfo(texts(collapse(pods)), services,
                nodeIps.stream().map(IpAddress::text).toList(),
                texts(collapse(cidrs("tunnel CIDRs", config.tunnelCIDRs(), problems))),
                texts(collapse(pools)), ClusterInfo.ALWAYS,
                texts(collapse(cidrs("cluster.extraCIDRs", config.extraCIDRs(), problems))), !services.isEmpty());
        return new Result(info, problems);
    }

    private static List<Cidr> cidrs(String source, List<String> texts, List<String> problems) {
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Parsed<Cidr.Lenient> c = Cidr.parseLenient(texts.get(i));
            if (!c.isOk()) {
                problems.add(source + "[" + i + "]: " + c.message() + "; skipped");
                continue;
            }
            if (c.orElseThrow().normalised()) {
                problems.add(source + "[" + i + "]: " + texts.get(i) + " has host bits set; taken as "
                        + c.orElseThrow().cidr().text());
            }
            out.add(c.orElseThrow().cidr());
        }
        return out;
    }

    /** Sorted, without duplicates and without CIDRs contained in another listed one. */
    static List<Cidr> collapse(java.util.Collection<Cidr> in) {
        TreeSet<Cidr> sorted = new TreeSet<>(in);
        List<Cidr> out = new ArrayList<>();
        for (Cidr c : sorted) {
            // sorted by network then shorter prefix first: a container always precedes what it contains
            if (out.isEmpty() || !out.get(out.size() - 1).contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<String> texts(java.util.Collection<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::text).toList();
    }
}
