package io.egressgateway.application.controller;

import io.egressgateway.application.port.out.ControllerClusterState;
import io.egressgateway.domain.alloc.PoolOverlaps;
import io.egressgateway.domain.election.GatewayElection;
import io.egressgateway.domain.model.ClusterNode;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.validation.EgressNodeValidator;
import io.egressgateway.domain.validation.GatewayValidator;
import io.egressgateway.domain.validation.NetworkContext;
import io.egressgateway.domain.validation.PolicyValidator;
import io.egressgateway.domain.validation.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The first step of a pass: every gateway, policy and EgressNode is checked on its own with the
 * domain's rules (the ones admission applies, so objects that bypassed admission are caught here)
 * and a bad one is left out of the rest of the pass, with a condition that names the field, the
 * value and what was expected. Pools that overlap are decided here from the live state
 * ({@link PoolOverlaps}). Pure: what to write is decided here, the reconciler writes it.
 */
final class ControllerVetting {
    static final String INVALID_SPEC = "InvalidSpec";
    static final String INVALID_STATUS = "InvalidStatus";
    static final String INVALID_FIELD = "InvalidField";
    static final String GATEWAY_INVALID = "GatewayInvalid";
    static final String POOL_OVERLAP = "PoolOverlap";
    static final String POOL_FAMILY_DISABLED = "PoolFamilyDisabled";

    /**
     * @param gateways       the valid gateways, each with the pools it may allocate from
     * @param policies       the valid policies whose gateway is not invalid
     * @param badGateways    gateway -> its violations
     * @param badPolicies    policy -> its violations
     * @param onBadGateway   policy -> the invalid gateway it uses
     * @param overlapsLost   gateway -> overlaps it lost to another gateway
     * @param familyDisabled gateway -> its pool entries of a family the cluster has disabled (not handed out)
     */
    record Result(List<Gateway> gateways, List<Policy> policies, Map<String, List<Violation>> badGateways,
                  Map<String, List<Violation>> badPolicies, Map<String, String> onBadGateway,
                  Map<String, List<String>> overlapsLost, Map<String, String> familyDisabled) {
    }

    private ControllerVetting() {
    }

    static NetworkContext network(NetworkContext configured, List<ClusterNode> nodes) {
        List<String> ips = new ArrayList<>(configured.nodeIPs());
        nodes.forEach(n -> ips.addAll(n.internalIPs()));
        return new NetworkContext(ips, configured.serviceCIDRs(), configured.protectedIPs(),
                configured.minPoolPrefixV4(), configured.minPoolPrefixV6());
    }

    static Result vet(ControllerClusterState s, NetworkContext network) {
        return vet(s, network, true, true);
    }

    /**
     * As {@link #vet(ControllerClusterState, NetworkContext)}; pool entries of a family the cluster
     * has disabled ({@code enableIPv4/enableIPv6}) are taken out of the gateway (no agent programs
     * that family, so an EIP of it would show in status without ever being programmed) and reported.
     */
    static Result vet(ControllerClusterState s, NetworkContext network, boolean enableIPv4, boolean enableIPv6) {
        Map<String, List<Violation>> badGateways = new TreeMap<>();
        List<Gateway> valid = new ArrayList<>();
        for (Gateway g : s.gateways()) {
            List<Violation> v = GatewayValidator.content(g, network);
            if (v.isEmpty()) {
                valid.add(g);
            } else {
                badGateways.put(g.name(), v);
            }
        }
        Map<String, PoolOverlaps.Resolved> resolved = PoolOverlaps.resolve(valid);
        Map<String, String> familyDisabled = new TreeMap<>();
        List<Gateway> gateways = valid.stream().map(g -> resolved.get(g.name()).gateway())
                .map(g -> withoutDisabledFamilies(g, enableIPv4, enableIPv6, familyDisabled)).toList();
        Map<String, List<String>> lost = new TreeMap<>();
        resolved.forEach((name, r) -> {
            if (!r.lost().isEmpty()) {
                lost.put(name, r.lost());
            }
        });
        Map<String, List<Violation>> badPolicies = new TreeMap<>();
        Map<String, String> onBadGateway = new TreeMap<>();
        List<Policy> policies = new ArrayList<>();
        for (Policy p : s.policies()) {
            List<Violation> v = PolicyValidator.content(p, network);
            Optional<String> badGw = s.gateways().stream().filter(g -> badGateways.containsKey(g.name()))
                    .filter(g -> GatewayElection.uses(p, g)).map(Gateway::name).findFirst();
            if (!v.isEmpty()) {
                badPolicies.put(p.name(), v);
            } else if (badGw.isPresent() && gateways.stream().noneMatch(g -> GatewayElection.uses(p, g))) {
                onBadGateway.put(p.name(), badGw.get());
            } else {
                policies.add(p);
            }
        }
        return new Result(gateways, policies, badGateways, badPolicies, onBadGateway, lost, familyDisabled);
    }

    private static Gateway withoutDisabledFamilies(Gateway g, boolean v4, boolean v6, Map<String, String> report) {
        IpPools p = g.ippools();
        if (p == null || (v4 || p.ipv4().isEmpty()) && (v6 || p.ipv6().isEmpty())) {
            return g;
        }
        List<String> why = new ArrayList<>();
        if (!v4 && !p.ipv4().isEmpty()) {
            why.add("spec.ippools.ipv4: \"" + String.join(",", p.ipv4()) + "\": IPv4 is disabled in this cluster"
                    + " (enableIPv4=false)");
        }
        if (!v6 && !p.ipv6().isEmpty()) {
            why.add("spec.ippools.ipv6: \"" + String.join(",", p.ipv6()) + "\": IPv6 is disabled in this cluster"
                    + " (enableIPv6=false)");
        }
        report.put(g.name(), String.join("; ", why) + "; no EIP of that family is handed out");
        return new Gateway(g.name(), g.generation(), g.nodeSelector(), new IpPools(v4 ? p.ipv4() : List.of(),
                v6 ? p.ipv6() : List.of(), v4 ? p.ipv4DefaultEIP() : null, v6 ? p.ipv6DefaultEIP() : null),
                g.clusterDefault(), g.status());
    }

    /** {@code status} with a PoolFamilyDisabled condition when pools of a disabled family were left out. */
    static GatewayStatus withFamilyDisabled(Gateway g, GatewayStatus elected, String message, Instant now) {
        List<Condition> previous = g.status() == null ? List.of() : g.status().conditions();
        List<Condition> conds = new ArrayList<>(elected.conditions());
        conds.removeIf(c -> c.type().equals(POOL_FAMILY_DISABLED));
        if (message != null) {
            conds.add(Condition.of(POOL_FAMILY_DISABLED, true, "FamilyDisabled", message, g.generation(), previous, now));
        }
        conds.sort(java.util.Comparator.comparing(Condition::type));
        return new GatewayStatus(elected.observedGeneration(), elected.forwardMethod(), elected.nodeList(),
                elected.ipUsage(), elected.mark(), conds);
    }

    /** "field: "value": message; ..." as a condition message reads. */
    static String describe(List<Violation> v) {
        StringBuilder b = new StringBuilder();
        for (Violation x : v) {
            b.append(b.isEmpty() ? "" : "; ").append(x.field()).append(": \"").append(x.value()).append("\": ")
                    .append(x.message());
        }
        return b.toString();
    }

    /** An invalid gateway's status: no nodes and no EIPs (agents drop it too), and why. */
    static GatewayStatus invalidGateway(Gateway g, List<Violation> v, Instant now) {
        List<Condition> previous = g.status() == null ? List.of() : g.status().conditions();
        String msg = "skipped: " + describe(v);
        return new GatewayStatus(g.generation(), g.status() == null ? null : g.status().forwardMethod(), List.of(), null,
                null, List.of(Condition.of(INVALID_SPEC, true, INVALID_FIELD, msg, g.generation(), previous, now),
                Condition.of(PolicyConditions.READY, false, INVALID_SPEC, msg, g.generation(), previous, now)));
    }

    /** An elected gateway's status with a PoolOverlap condition when it lost shared addresses. */
    static GatewayStatus withOverlaps(Gateway g, GatewayStatus elected, List<String> lost, Instant now) {
        if (lost == null || lost.isEmpty()) {
            return elected;
        }
        List<Condition> previous = g.status() == null ? List.of() : g.status().conditions();
        List<Condition> conds = new ArrayList<>(elected.conditions());
        conds.removeIf(c -> c.type().equals(POOL_OVERLAP));
        conds.add(Condition.of(POOL_OVERLAP, true, "OverlapsAnotherGateway", "spec.ippools: " + String.join("; ", lost)
                + "; these addresses are not handed out by this gateway", g.generation(), previous, now));
        conds.sort(java.util.Comparator.comparing(Condition::type));
        return new GatewayStatus(elected.observedGeneration(), elected.forwardMethod(), elected.nodeList(),
                elected.ipUsage(), elected.mark(), conds);
    }

    /** An invalid policy's status, or that of a policy whose gateway is invalid: not placed, and why. */
    static PolicyStatus skippedPolicy(Policy p, String type, String reason, String msg, Instant now) {
        List<Condition> previous = p.status() == null ? List.of() : p.status().conditions();
        List<Condition> conds = new ArrayList<>();
        if (type != null) {
            conds.add(Condition.of(type, true, INVALID_FIELD, msg, p.generation(), previous, now));
        }
        conds.add(Condition.of(PolicyConditions.READY, false, reason, msg, p.generation(), previous, now));
        conds.sort(java.util.Comparator.comparing(Condition::type));
        return new PolicyStatus(p.generation(), null, null, null, List.of(), 0, conds);
    }

    /**
     * The desired EgressNode with an InvalidStatus condition when fields the controller does not
     * own (the agent's underlay addresses, interfaces) do not parse; the controller's own fields are
     * already re-allocated when bad.
     */
    static EgressNode withStatusCheck(EgressNode desired, EgressNode before, Instant now) {
        List<Violation> v = EgressNodeValidator.content(desired);
        if (v.isEmpty()) {
            return desired;
        }
        List<Condition> conds = new ArrayList<>(desired.conditions());
        conds.add(Condition.of(INVALID_STATUS, true, INVALID_FIELD, "other nodes leave this node's bad fields out: "
                + describe(v), desired.generation(), before == null ? List.of() : before.conditions(), now));
        return new EgressNode(desired.name(), desired.generation(), desired.phase(), desired.tunnelIPv4(),
                desired.tunnelIPv6(), desired.tunnelMac(), desired.mark(), desired.physicalInterface(),
                desired.physicalInterfaceIPv4(), desired.physicalInterfaceIPv6(), desired.interfaces(),
                desired.programmed(), conds);
    }

    /** The message of condition {@code type} in {@code conditions}, if present and True. */
    static Optional<String> message(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> c.type().equals(type) && c.status() == Condition.Status.True)
                .map(Condition::message).findFirst();
    }

    /** A Warning Event when condition {@code type} turns True or changes its message: once, not every pass. */
    static void warnOnce(io.egressgateway.application.port.out.RecordEventPort events, String kind, String name,
                         List<Condition> before, List<Condition> after, String type) {
        var now = message(after, type);
        if (now.isPresent() && !now.equals(message(before, type))) {
            events.record(kind, name, io.egressgateway.application.port.out.RecordEventPort.Type.Warning, type, now.get());
            org.slf4j.LoggerFactory.getLogger(ControllerVetting.class).warn("kind={} name={} {}: {}", kind, name, type,
                    now.get());
        }
    }
}
