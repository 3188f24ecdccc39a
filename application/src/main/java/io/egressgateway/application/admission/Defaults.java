package io.egressgateway.application.admission;

import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.application.port.in.PatchOperation;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the mutating webhook fills in, as JSON patch operations: the gateway's finalizer and default
 * EIPs, the policy's gateway name, egressIP mode and allocatorPolicy. On UPDATE a field the user
 * left out keeps its old value rather than a fresh default, so re-applying a manifest that never
 * named them does not trip the immutability rules.
 */
final class Defaults {
    private Defaults() {
    }

    static List<PatchOperation> gateway(AdmissionRequest r, String finalizer) {
        List<PatchOperation> ops = new ArrayList<>();
        if (!r.deleting()) {
            if (r.finalizers() == null) {
                ops.add(PatchOperation.add("/metadata/finalizers", List.of(finalizer)));
            } else if (!r.finalizers().contains(finalizer)) {
                ops.add(PatchOperation.add("/metadata/finalizers/-", finalizer));
            }
        }
        Gateway g = r.gateway();
        IpPools p = g == null ? null : g.ippools();
        if (p != null) {
            firstAddress(p.ipv4(), Family.IPV4).filter(x -> empty(p.ipv4DefaultEIP()))
                    .ifPresent(ip -> ops.add(PatchOperation.add("/spec/ippools/ipv4DefaultEIP", ip)));
            firstAddress(p.ipv6(), Family.IPV6).filter(x -> empty(p.ipv6DefaultEIP()))
                    .ifPresent(ip -> ops.add(PatchOperation.add("/spec/ippools/ipv6DefaultEIP", ip)));
        }
        return ops;
    }

    static List<PatchOperation> policy(AdmissionRequest r, List<Gateway> gateways) {
        List<PatchOperation> ops = new ArrayList<>();
        Policy p = r.policy();
        if (p == null || !r.specPresent()) {
            return ops; // nothing to hang defaults on; validation reports what is missing
        }
        Policy old = r.oldPolicy();
        String name = p.egressGatewayName();
        if (empty(name)) {
            if (old != null && !empty(old.egressGatewayName())) {
                name = old.egressGatewayName();
            } else {
                name = gateways.stream().filter(Gateway::clusterDefault).map(Gateway::name).sorted()
                        .findFirst().orElse(null);
            }
            if (name != null) {
                ops.add(PatchOperation.add("/spec/egressGatewayName", name));
            }
        }
        String gwName = name;
        Gateway gw = gateways.stream().filter(g -> g.name().equals(gwName)).findFirst().orElse(null);
        EgressIpSpec spec = p.egressIP();
        EgressIpMode mode = spec == null ? null : spec.mode();
        boolean modeMissing = mode == null;
        if (modeMissing) {
            EgressIpSpec oldSpec = old == null ? null : old.egressIP();
            mode = oldSpec != null && oldSpec.mode() != null ? oldSpec.mode() : PolicyRules.effectiveMode(spec, gw);
        }
        boolean allocatorMissing = spec == null || spec.allocatorPolicy() == null;
        if (spec == null) {
            Map<String, Object> egressIp = new LinkedHashMap<>();
            egressIp.put("mode", mode.name());
            egressIp.put("allocatorPolicy", AllocatorPolicy.DEFAULT.text());
            ops.add(PatchOperation.add("/spec/egressIP", egressIp));
            return ops;
        }
        if (modeMissing) {
            ops.add(PatchOperation.add("/spec/egressIP/mode", mode.name()));
        }
        if (allocatorMissing) {
            ops.add(PatchOperation.add("/spec/egressIP/allocatorPolicy", AllocatorPolicy.DEFAULT.text()));
        }
        return ops;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** The first address of the first entry that parses: the natural default EIP. */
    private static Optional<String> firstAddress(List<String> pool, Family family) {
        for (String entry : pool) {
            try {
                return Optional.of(IpMath.format(family, IpMath.parsePoolEntry(entry, family).lo()));
            } catch (IllegalArgumentException ignored) {
                // validation reports it; try the next entry
            }
        }
        return Optional.empty();
    }
}
