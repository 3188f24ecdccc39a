package io.egressgateway.domain.validation;

import io.egressgateway.domain.alloc.GatewayPools;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Admission rules for EgressGatewayPolicy (api.md, Validation): exactly one of podSelector and
 * podSubnet; namespaceSelector only with podSelector; CIDRs valid with host bits zero (the
 * mutating webhook normalises host bits first, see {@link Defaults}, so this only rejects what
 * came in without it); pinned EIPs only in mode EgressIP, in the right family and in the gateway's
 * pool; the gateway exists; mode EgressIP needs a pool; gateway name, mode and pinned EIPs are
 * immutable after create.
 */
public final class PolicyValidator {
    private PolicyValidator() {
    }

    /**
     * @param candidate the object as it would be stored (after defaulting)
     * @param old       the stored object on update, empty on create
     * @param gateways  every gateway
     */
    public static List<Violation> validate(Policy candidate, Optional<Policy> old, List<Gateway> gateways) {
        return validate(candidate, old, gateways, NetworkContext.unknown());
    }

    /** As {@link #validate(Policy, Optional, List)}, with what is known about the network. */
    public static List<Violation> validate(Policy candidate, Optional<Policy> old, List<Gateway> gateways,
                                           NetworkContext network) {
        List<Violation> out = new ArrayList<>();
        appliedTo(candidate.appliedTo(), out, network, true);
        cidrs("spec.destCIDR", candidate.destCIDR(), out, network);
        Optional<Gateway> gw = gateway(candidate, gateways, out);
        egressIp(candidate.egressIP(), gw, out);
        old.ifPresent(o -> immutables(candidate, o, out));
        return out;
    }

    /**
     * The rules about the object alone: appliedTo, selectors, the networks (syntax and dangerous
     * ones), pinned EIPs' syntax and mode. The controller and the agents skip a policy for which this
     * is not empty, so both skip the same policies; admission refuses it.
     */
    public static List<Violation> content(Policy candidate, NetworkContext network) {
        List<Violation> out = new ArrayList<>();
        appliedTo(candidate.appliedTo(), out, network, false);
        cidrs("spec.destCIDR", candidate.destCIDR(), out, network, false);
        egressIp(candidate.egressIP(), Optional.empty(), out);
        return out;
    }

    private static void appliedTo(AppliedTo a, List<Violation> out, NetworkContext network, boolean strict) {
        if (a == null || (a.podSelector() == null && a.podSubnet() == null)) {
            out.add(new Violation("spec.appliedTo", "", "needs exactly one of podSelector and podSubnet"));
            return;
        }
        if (a.podSelector() != null && a.podSubnet() != null) {
            out.add(new Violation("spec.appliedTo", "podSelector,podSubnet",
                    "has both podSelector and podSubnet; exactly one is allowed"));
        }
        if (a.namespaceSelector() != null && a.podSelector() == null) {
            out.add(new Violation("spec.appliedTo.namespaceSelector", "", "is only allowed together with podSelector"));
        }
        if (a.podSelector() != null) {
            out.addAll(Selectors.validate("spec.appliedTo.podSelector", a.podSelector()));
        }
        if (a.namespaceSelector() != null) {
            out.addAll(Selectors.validate("spec.appliedTo.namespaceSelector", a.namespaceSelector()));
        }
        if (a.podSubnet() != null) {
            if (a.podSubnet().isEmpty() && a.podSelector() == null) {
                out.add(new Violation("spec.appliedTo.podSubnet", "", "must list at least one CIDR"));
            }
            cidrs("spec.appliedTo.podSubnet", a.podSubnet(), out, network, strict);
        }
    }

    private static void cidrs(String field, List<String> cidrs, List<Violation> out, NetworkContext network) {
        cidrs(field, cidrs, out, network, true);
    }

    /**
     * {@code strict}: host bits refused (admission, after the mutating webhook normalised them);
     * otherwise taken as the network, as the planner does, so a stored object is not skipped for it.
     */
    private static void cidrs(String field, List<String> cidrs, List<Violation> out, NetworkContext network,
                              boolean strict) {
        for (int i = 0; i < cidrs.size(); i++) {
            Parsed<Cidr> c = strict ? Cidr.parse(cidrs.get(i)) : Cidr.parseLenient(cidrs.get(i)).map(Cidr.Lenient::cidr);
            if (!c.isOk()) {
                out.add(new Violation(field + "[" + i + "]", String.valueOf(cidrs.get(i)), c.message()));
                continue;
            }
            Optional<String> danger = AddressRules.policyNetwork(field, c.orElseThrow(), network);
            if (danger.isPresent()) {
                out.add(new Violation(field + "[" + i + "]", cidrs.get(i), "'" + cidrs.get(i) + "' " + danger.get()));
            }
        }
    }

    private static Optional<Gateway> gateway(Policy p, List<Gateway> gateways, List<Violation> out) {
        String name = p.egressGatewayName();
        if (name == null || name.isEmpty()) {
            Optional<Gateway> d = gateways.stream().filter(Gateway::clusterDefault).findFirst();
            if (d.isEmpty()) {
                out.add(new Violation("spec.egressGatewayName", "",
                        "is empty and no gateway is the cluster default (spec.clusterDefault: true)"));
            }
            return d;
        }
        Optional<Gateway> g = gateways.stream().filter(x -> x.name().equals(name)).findFirst();
        if (g.isEmpty()) {
            out.add(new Violation("spec.egressGatewayName", name, "gateway " + name + " does not exist (admission reads"
                    + " a cache that may lag a second behind a gateway created just before: retry then)"));
        }
        return g;
    }

    private static void egressIp(EgressIpSpec spec, Optional<Gateway> gw, List<Violation> out) {
        if (spec == null) {
            return;
        }
        GatewayPools pools = gw.map(g -> GatewayPools.of(g.ippools())).orElse(null);
        if (spec.mode() == EgressIpMode.EgressIP && pools != null && pools.isEmpty()) {
            out.add(new Violation("spec.egressIP.mode", "EgressIP", "needs an EIP pool, but gateway "
                    + gw.get().name() + " has none; use NodeIP or None, or add spec.ippools to the gateway"));
        }
        for (Family f : Family.values()) {
            String ip = f == Family.IPV4 ? spec.ipv4() : spec.ipv6();
            if (ip == null || ip.isEmpty()) {
                continue;
            }
            String field = "spec.egressIP." + (f == Family.IPV4 ? "ipv4" : "ipv6");
            if (spec.mode() != null && spec.mode() != EgressIpMode.EgressIP) {
                out.add(new Violation(field, ip, "is only allowed with mode EgressIP (mode is " + spec.mode() + ")"));
                continue;
            }
            Parsed<IpAddress> a = IpAddress.parse(ip, f);
            if (!a.isOk()) {
                out.add(new Violation(field, ip, a.message()));
            } else if (pools != null) {
                IpPool pool = pools.pool(f);
                if (!pool.contains(a.orElseThrow())) {
                    out.add(new Violation(field, ip, ip + " is not in the " + f.label() + " pool of gateway "
                            + gw.get().name() + (pool.isEmpty() ? " (it has none)" : " (" + pool.text() + ")")));
                }
            }
        }
    }

    private static void immutables(Policy p, Policy old, List<Violation> out) {
        immutable("spec.egressGatewayName", p.egressGatewayName(), old.egressGatewayName(), out);
        EgressIpSpec now = p.egressIP();
        EgressIpSpec was = old.egressIP();
        immutable("spec.egressIP.mode", now == null || now.mode() == null ? null : now.mode().name(),
                was == null || was.mode() == null ? null : was.mode().name(), out);
        immutable("spec.egressIP.ipv4", now == null ? null : now.ipv4(), was == null ? null : was.ipv4(), out);
        immutable("spec.egressIP.ipv6", now == null ? null : now.ipv6(), was == null ? null : was.ipv6(), out);
    }

    private static void immutable(String field, String now, String was, List<Violation> out) {
        String a = now == null ? "" : now;
        String b = was == null ? "" : was;
        if (!Objects.equals(a, b)) {
            out.add(new Violation(field, a, "is immutable after create (was '" + b + "'); delete and recreate the policy"));
        }
    }
}
