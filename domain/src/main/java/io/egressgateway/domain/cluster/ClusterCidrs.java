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
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes {@code EgressClusterInfo}: pod CIDRs (the setting, every Node's podCIDRs and every Calico
 * IPPool), service CIDRs (every ServiceCIDR object and the setting), every Node's InternalIP, the
 * tunnel CIDRs, every gateway's pools as exact CIDRs, the always-excluded list and the extra CIDRs,
 * each pod/service/extra CIDR with the sources that gave it. Sources add up: a setting never hides
 * what was detected (excluding too much keeps cluster traffic local, excluding too little sends it
 * to a gateway). Everything is canonical and sorted (IPv4 first), so an unchanged cluster yields an
 * equal object and no write. {@code complete} needs a pod and a service network: without either, an
 * empty destCIDR would send cluster traffic to a gateway.
 */
public final class ClusterCidrs {
    /** Sources named in {@code from} before "and N more". */
    static final int MAX_FROM = 3;

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

    /**
     * The info, what was skipped or normalised on the way (for a log line), and what keeps it
     * incomplete (for the condition message; empty when complete).
     */
    public record Result(ClusterInfo info, List<String> problems, List<String> missing) {
        public Result {
            problems = List.copyOf(problems);
            missing = List.copyOf(missing);
        }

        public Result(ClusterInfo info, List<String> problems) {
            this(info, problems, List.of());
        }
    }

    public static Result compute(Config config, List<ClusterNode> nodes, List<Gateway> gateways) {
        return compute(config, nodes, gateways, DiscoveredNetworks.NONE);
    }

    public static Result compute(Config config, List<ClusterNode> nodes, List<Gateway> gateways, DiscoveredNetworks found) {
        List<String> problems = new ArrayList<>();
        Sourced pods = new Sourced();
        pods.add(cidrs("cluster.podCIDRs", config.podCIDRs(), problems), "setting cluster.podCIDRs");
        for (ClusterNode n : nodes) {
            pods.add(cidrs("node " + n.name() + " spec.podCIDRs", n.podCIDRs(), problems), "Node/" + n.name());
        }
        for (DiscoveredNetworks.Named pool : found.calicoPools()) {
            pods.add(cidrs(pool.from() + " spec.cidr", pool.cidrs(), problems), pool.from());
        }
        Sourced services = new Sourced();
        for (DiscoveredNetworks.Named sc : found.serviceCIDRs()) {
            services.add(cidrs(sc.from() + " spec.cidrs", sc.cidrs(), problems), sc.from());
        }
        services.add(cidrs("cluster.serviceCIDRs", config.serviceCIDRs(), problems), "setting cluster.serviceCIDRs");
        Sourced extra = new Sourced();
        extra.add(cidrs("cluster.extraCIDRs", config.extraCIDRs(), problems), "setting cluster.extraCIDRs");

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
        List<String> missing = new ArrayList<>();
        if (pods.isEmpty()) {
            missing.add("no pod network: no Node has spec.podCIDRs, " + (found.calicoApi() == null
                    ? "no Calico IPPool CRD is served" : "no Calico IPPool exists") + " and cluster.podCIDRs is empty");
        }
        if (services.isEmpty()) {
            missing.add("no service network: " + (found.serviceCidrApi() == null
                    ? "the API server serves no ServiceCIDR objects (Kubernetes < 1.33)"
                    : "no ServiceCIDR object exists") + " and cluster.serviceCIDRs is empty");
        }
        List<ClusterInfo.CidrSource> sources = new ArrayList<>();
        sources.addAll(pods.sources("pod"));
        sources.addAll(services.sources("service"));
        sources.addAll(extra.sources("extra"));
        ClusterInfo info = new ClusterInfo(pods.texts(), services.texts(),
                nodeIps.stream().map(IpAddress::text).toList(),
                texts(collapse(cidrs("tunnel CIDRs", config.tunnelCIDRs(), problems))),
                texts(collapse(pools)), ClusterInfo.ALWAYS, extra.texts(), missing.isEmpty(), sources);
        return new Result(info, problems, missing);
    }

    /** CIDRs with the sources that gave them; collapsed, a kept CIDR carries the sources of what it contains. */
    private static final class Sourced {
        private final Map<Cidr, TreeSet<String>> from = new TreeMap<>();

        void add(List<Cidr> cidrs, String source) {
            cidrs.forEach(c -> from.computeIfAbsent(c, k -> new TreeSet<>()).add(source));
        }

        boolean isEmpty() {
            return from.isEmpty();
        }

        List<String> texts() {
            return ClusterCidrs.texts(collapse(from.keySet()));
        }

        /** Same walk as {@link #collapse}: in sorted order a container precedes what it contains. */
        List<ClusterInfo.CidrSource> sources(String network) {
            List<ClusterInfo.CidrSource> out = new ArrayList<>();
            Cidr kept = null;
            TreeSet<String> names = new TreeSet<>();
            for (Map.Entry<Cidr, TreeSet<String>> e : from.entrySet()) {
                if (kept == null || !kept.contains(e.getKey())) {
                    if (kept != null) {
                        out.add(new ClusterInfo.CidrSource(network, kept.text(), summary(names)));
                    }
                    kept = e.getKey();
                    names = new TreeSet<>();
                }
                names.addAll(e.getValue());
            }
            if (kept != null) {
                out.add(new ClusterInfo.CidrSource(network, kept.text(), summary(names)));
            }
            return out;
        }
    }

    /** "Node/node1, Node/node2, Node/node3 and 4 more": bounded, so 5,000 Nodes make a short line. */
    static String summary(TreeSet<String> names) {
        List<String> shown = names.stream().limit(MAX_FROM).toList();
        String s = String.join(", ", shown);
        return names.size() > MAX_FROM ? s + " and " + (names.size() - MAX_FROM) + " more" : s;
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
