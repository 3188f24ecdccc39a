package io.egressgateway.application.admission;

import io.egressgateway.application.port.in.FieldViolation;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The EgressGatewayPolicy rules of spec/api.md: one way to select pods, valid CIDRs (host bits must
 * be zero: we refuse rather than silently normalise, and name the normalised form), EIPs only with
 * mode EgressIP and inside the gateway's pool, an existing gateway, immutable identity fields.
 */
final class PolicyRules {
    private PolicyRules() {
    }

    static List<FieldViolation> validate(Policy p, Policy old, List<Gateway> gateways) {
        List<FieldViolation> out = new ArrayList<>();
        appliedTo(p.appliedTo(), out);
        for (int i = 0; i < p.destCIDR().size(); i++) {
            cidr(p.destCIDR().get(i), "spec.destCIDR[" + i + "]", out);
        }
        Optional<Gateway> gw = gateway(p, gateways, out);
        egressIp(p.egressIP(), gw.orElse(null), out);
        if (old != null) {
            immutable("spec.egressGatewayName", old.egressGatewayName(), p.egressGatewayName(), out);
            EgressIpSpec n = p.egressIP() == null ? new EgressIpSpec(null, null, null, null) : p.egressIP();
            EgressIpSpec o = old.egressIP() == null ? new EgressIpSpec(null, null, null, null) : old.egressIP();
            immutable("spec.egressIP.mode", text(o.mode()), text(n.mode()), out);
            immutable("spec.egressIP.ipv4", o.ipv4(), n.ipv4(), out);
            immutable("spec.egressIP.ipv6", o.ipv6(), n.ipv6(), out);
        }
        return out;
    }

    private static String text(EgressIpMode m) {
        return m == null ? "" : m.name();
    }

    private static void appliedTo(AppliedTo a, List<FieldViolation> out) {
        if (a == null) {
            out.add(new FieldViolation("spec.appliedTo", "", "is required: give podSelector or podSubnet"));
            return;
        }
        boolean selector = a.podSelector() != null;
        boolean subnet = a.podSubnet() != null && !a.podSubnet().isEmpty();
        if (selector == subnet) {
            out.add(new FieldViolation("spec.appliedTo", selector ? "podSelector and podSubnet" : "",
                    "exactly one of podSelector and podSubnet must be given"));
        }
        if (a.namespaceSelector() != null && !selector) {
            out.add(new FieldViolation("spec.appliedTo.namespaceSelector", "",
                    "is only allowed with podSelector"));
        }
        if (a.podSelector() != null) {
            GatewayRules.requirements(a.podSelector(), "spec.appliedTo.podSelector", out);
        }
        if (a.namespaceSelector() != null) {
            GatewayRules.requirements(a.namespaceSelector(), "spec.appliedTo.namespaceSelector", out);
        }
        if (a.podSubnet() != null) {
            for (int i = 0; i < a.podSubnet().size(); i++) {
                cidr(a.podSubnet().get(i), "spec.appliedTo.podSubnet[" + i + "]", out);
            }
        }
    }

    private static void cidr(String text, String field, List<FieldViolation> out) {
        try {
            IpMath.Cidr c = IpMath.parseCidr(text);
            if (c.hostBitsSet()) {
                out.add(new FieldViolation(field, text, "host bits are set, use " + c.normalised()));
            }
        } catch (IllegalArgumentException e) {
            out.add(new FieldViolation(field, text, e.getMessage()));
        }
    }

    private static Optional<Gateway> gateway(Policy p, List<Gateway> gateways, List<FieldViolation> out) {
        String name = p.egressGatewayName();
        if (name == null || name.isEmpty()) {
            Optional<Gateway> def = gateways.stream().filter(Gateway::clusterDefault).findFirst();
            if (def.isEmpty()) {
                out.add(new FieldViolation("spec.egressGatewayName", "",
                        "is empty and no EgressGateway has clusterDefault: true"));
            }
            return def;
        }
        Optional<Gateway> gw = gateways.stream().filter(g -> g.name().equals(name)).findFirst();
        if (gw.isEmpty()) {
            out.add(new FieldViolation("spec.egressGatewayName", name, "no EgressGateway has this name"));
        }
        return gw;
    }

    /** The mode a policy runs with: as given, else EgressIP when the gateway's pool has IPs. */
    static EgressIpMode effectiveMode(EgressIpSpec spec, Gateway gw) {
        if (spec != null && spec.mode() != null) {
            return spec.mode();
        }
        return gw != null && gw.ippools() != null && !gw.ippools().isEmpty() ? EgressIpMode.EgressIP : EgressIpMode.NodeIP;
    }

    private static void egressIp(EgressIpSpec spec, Gateway gw, List<FieldViolation> out) {
        EgressIpMode mode = effectiveMode(spec, gw);
        IpPools pools = gw == null || gw.ippools() == null ? IpPools.empty() : gw.ippools();
        if (mode == EgressIpMode.EgressIP && gw != null && pools.isEmpty()) {
            out.add(new FieldViolation("spec.egressIP.mode", "EgressIP",
                    "gateway " + gw.name() + " has no IPs in its pool; use NodeIP or None, or add IPs"));
        }
        if (spec == null) {
            return;
        }
        pinned(spec.ipv4(), Family.IPV4, mode, gw, pools.ipv4(), "spec.egressIP.ipv4", out);
        pinned(spec.ipv6(), Family.IPV6, mode, gw, pools.ipv6(), "spec.egressIP.ipv6", out);
    }

    private static void pinned(String ip, Family family, EgressIpMode mode, Gateway gw, List<String> pool,
                               String field, List<FieldViolation> out) {
        if (ip == null || ip.isEmpty()) {
            return;
        }
        if (mode != EgressIpMode.EgressIP) {
            out.add(new FieldViolation(field, ip, "is only allowed with mode EgressIP (mode is " + mode + ")"));
            return;
        }
        IpMath.Addr a = IpMath.parseAddress(ip);
        if (a == null) {
            out.add(new FieldViolation(field, ip, "not an IP address"));
            return;
        }
        if (a.family() != family) {
            out.add(new FieldViolation(field, ip, "is " + IpMath.name(a.family()) + ", expected " + IpMath.name(family)));
            return;
        }
        if (gw == null) {
            return;
        }
        boolean inside = false;
        for (String entry : pool) {
            try {
                inside |= IpMath.parsePoolEntry(entry, family).contains(a);
            } catch (IllegalArgumentException ignored) {
                // a broken entry of the gateway's pool can't contain anything
            }
        }
        if (!inside) {
            out.add(new FieldViolation(field, ip, "not inside the " + IpMath.name(family) + " pool of gateway "
                    + gw.name() + " " + pool));
        }
    }

    private static void immutable(String field, String old, String now, List<FieldViolation> out) {
        String o = old == null ? "" : old;
        String n = now == null ? "" : now;
        if (!Objects.equals(o, n)) {
            out.add(new FieldViolation(field, n, "is immutable after create (was \"" + o + "\")"));
        }
    }
}
