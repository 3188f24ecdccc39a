package io.egressgateway.domain.validation;

import io.egressgateway.domain.alloc.GatewayPools;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mutating webhook's defaults, as JSON-patch changes. Policy: an empty
 * {@code egressGatewayName} becomes the cluster-default gateway's name; a missing
 * {@code egressIP.mode} becomes EgressIP when that gateway has a pool, else NodeIP; a missing
 * {@code allocatorPolicy} becomes {@code default}; destCIDR and podSubnet entries with host bits
 * are replaced by their network (the answer to "host bits zero or normalised": normalised here,
 * with the reason as a warning; the validator rejects host bits that reach it). Gateway: a missing
 * default EIP becomes the first address of the first valid pool entry of its family.
 */
public final class Defaults {
    private Defaults() {
    }

    public static List<Change> forPolicy(Policy p, List<Gateway> gateways) {
        List<Change> out = new ArrayList<>();
        String name = p.egressGatewayName();
        Optional<Gateway> gw;
        if (name == null || name.isEmpty()) {
            gw = gateways.stream().filter(Gateway::clusterDefault).sorted(java.util.Comparator.comparing(Gateway::name))
                    .findFirst();
            gw.ifPresent(g -> out.add(Change.add("/spec/egressGatewayName", g.name(),
                    "no gateway named; " + g.name() + " is the cluster default")));
        } else {
            gw = gateways.stream().filter(g -> g.name().equals(name)).findFirst();
        }
        EgressIpSpec spec = p.egressIP();
        Optional<EgressIpMode> mode = gw.map(g -> GatewayPools.of(g.ippools()).isEmpty() ? EgressIpMode.NodeIP
                : EgressIpMode.EgressIP);
        String modeReason = "mode not given; the gateway's pool is " + (mode.orElse(null) == EgressIpMode.NodeIP
                ? "empty" : "not empty");
        if (spec == null) {
            Map<String, Object> egressIp = new LinkedHashMap<>();
            mode.ifPresent(m -> egressIp.put("mode", m.name()));
            egressIp.put("allocatorPolicy", AllocatorPolicy.DEFAULT.text());
            out.add(Change.add("/spec/egressIP", egressIp, modeReason));
        } else {
            if (spec.mode() == null) {
                mode.ifPresent(m -> out.add(Change.add("/spec/egressIP/mode", m.name(), modeReason)));
            }
            if (spec.allocatorPolicy() == null) {
                out.add(Change.add("/spec/egressIP/allocatorPolicy", AllocatorPolicy.DEFAULT.text(),
                        "allocatorPolicy not given"));
            }
        }
        normalise("/spec/destCIDR", p.destCIDR(), out);
        if (p.appliedTo() != null && p.appliedTo().podSubnet() != null) {
            normalise("/spec/appliedTo/podSubnet", p.appliedTo().podSubnet(), out);
        }
        return out;
    }

    private static void normalise(String path, List<String> cidrs, List<Change> out) {
        for (int i = 0; i < cidrs.size(); i++) {
            Parsed<Cidr.Lenient> c = Cidr.parseLenient(cidrs.get(i));
            if (c.isOk() && c.orElseThrow().normalised()) {
                String net = c.orElseThrow().cidr().text();
                out.add(Change.replace(path + "/" + i, net, cidrs.get(i) + " has host bits set; normalised to " + net));
            }
        }
    }

    public static List<Change> forGateway(Gateway g) {
        List<Change> out = new ArrayList<>();
        if (g.ippools() == null) {
            return out;
        }
        GatewayPools pools = GatewayPools.of(g.ippools());
        for (Family f : Family.values()) {
            String current = f == Family.IPV4 ? g.ippools().ipv4DefaultEIP() : g.ippools().ipv6DefaultEIP();
            Optional<IpAddress> first = pools.pool(f).firstWritten();
            if ((current == null || current.isEmpty()) && first.isPresent()) {
                String field = f == Family.IPV4 ? "ipv4DefaultEIP" : "ipv6DefaultEIP";
                out.add(Change.add("/spec/ippools/" + field, first.get().text(),
                        field + " not given; the first address of the pool"));
            }
        }
        return out;
    }
}
