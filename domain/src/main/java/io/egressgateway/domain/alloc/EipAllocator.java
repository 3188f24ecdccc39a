package io.egressgateway.domain.alloc;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.IpUsage;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.Parsed;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses each policy's EIPs from its gateway's pools. Per family: a pinned IP
 * ({@code spec.egressIP.ipv4/ipv6}) is used as given when it lies in the pool; otherwise
 * {@code allocatorPolicy: default} takes the gateway's default EIP (shared by every such policy),
 * and {@code rr} takes a pool IP of its own: the one it had before when still valid, else the
 * lowest free one. An rr IP is never the default EIP, never an IP some policy pins, and never
 * another rr policy's IP; two rr policies claiming one IP are resolved for the smaller name.
 * Modes NodeIP and None get no EIP. A family whose pool is empty gets no EIP (a v4-only pool
 * serves the v4 traffic of a dual-stack policy).
 */
public final class EipAllocator {
    private EipAllocator() {
    }

    /** Why a policy did not get what it asked for; {@code type} is a policy condition type. */
    public record Problem(String type, String reason, String message) {
        public static final String POOL_EXHAUSTED = "PoolExhausted";
        public static final String INVALID_SPEC = "InvalidSpec";
    }

    /** What a policy gets: its effective mode, its EIPs (null where none), and any problems. */
    public record PolicyEip(String policy, EgressIpMode mode, IpAddress ipv4, IpAddress ipv6, List<Problem> problems) {
        public PolicyEip {
            problems = List.copyOf(problems);
        }

        public boolean hasEip() {
            return ipv4 != null || ipv6 != null;
        }
    }

    /** A policy's EIPs as read back from statuses (text, either may be null). */
    public record Claim(String ipv4, String ipv6) {
    }

    /** All policies' EIPs, conflicts among previous rr claims, and the pool usage for status. */
    public record Result(SortedMap<String, PolicyEip> policies, List<Allocation.Conflict> conflicts, IpUsage usage) {
        public Result {
            policies = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(policies));
            conflicts = List.copyOf(conflicts);
        }
    }

    /** The mode a policy runs in: as written, else EgressIP when the gateway has a pool, else NodeIP. */
    public static EgressIpMode effectiveMode(EgressIpSpec spec, GatewayPools pools) {
        if (spec != null && spec.mode() != null) {
            return spec.mode();
        }
        return pools.isEmpty() ? EgressIpMode.NodeIP : EgressIpMode.EgressIP;
    }

    public static Result allocate(GatewayPools pools, List<Policy> policies, Map<String, Claim> previous) {
        List<Policy> sorted = new ArrayList<>(policies);
        sorted.sort(Comparator.comparing(Policy::name));
        Map<String, EgressIpMode> modes = new HashMap<>();
        Map<String, List<Problem>> problems = new HashMap<>();
        Map<Family, Map<String, IpAddress>> fixed = Map.of(Family.IPV4, new TreeMap<>(), Family.IPV6, new TreeMap<>());
        Map<Family, List<String>> rr = Map.of(Family.IPV4, new ArrayList<>(), Family.IPV6, new ArrayList<>());
        for (Policy p : sorted) {
            EgressIpMode mode = effectiveMode(p.egressIP(), pools);
            modes.put(p.name(), mode);
            problems.put(p.name(), new ArrayList<>());
            if (mode != EgressIpMode.EgressIP) {
                continue;
            }
            if (pools.isEmpty()) {
                problems.get(p.name()).add(new Problem(Problem.INVALID_SPEC, "EmptyPool",
                        "mode EgressIP needs an EIP pool, but gateway " + p.egressGatewayName() + " has none"));
                continue;
            }
            for (Family f : Family.values()) {
                request(p, f, pools, fixed.get(f), rr.get(f), problems.get(p.name()));
            }
        }
        List<Allocation.Conflict> conflicts = new ArrayList<>();
        Map<Family, SortedMap<String, IpAddress>> chosen = new HashMap<>();
        for (Family f : Family.values()) {
            TreeSet<IpAddress> reserved = new TreeSet<>(fixed.get(f).values());
            pools.defaultEip(f).ifPresent(reserved::add);
            Allocation<IpAddress> a = roundRobin(pools.pool(f), rr.get(f), previous, f, reserved);
            conflicts.addAll(a.conflicts());
            for (String exhausted : a.exhausted()) {
                problems.get(exhausted).add(new Problem(Problem.POOL_EXHAUSTED, "PoolExhausted",
                        "no free " + f.label() + " address left in pool " + pools.pool(f).text()));
            }
            SortedMap<String, IpAddress> all = new TreeMap<>(fixed.get(f));
            all.putAll(a.assigned());
            chosen.put(f, all);
        }
        SortedMap<String, PolicyEip> out = new TreeMap<>();
        for (Policy p : sorted) {
            out.put(p.name(), new PolicyEip(p.name(), modes.get(p.name()), chosen.get(Family.IPV4).get(p.name()),
                    chosen.get(Family.IPV6).get(p.name()), problems.get(p.name())));
        }
        return new Result(out, conflicts, usage(pools, out));
    }

    private static void request(Policy p, Family f, GatewayPools pools, Map<String, IpAddress> fixed, List<String> rr,
                                List<Problem> problems) {
        IpPool pool = pools.pool(f);
        EgressIpSpec spec = p.egressIP();
        String pinned = spec == null ? null : (f == Family.IPV4 ? spec.ipv4() : spec.ipv6());
        String field = "spec.egressIP." + (f == Family.IPV4 ? "ipv4" : "ipv6");
        if (pinned != null && !pinned.isEmpty()) {
            Parsed<IpAddress> a = IpAddress.parse(pinned, f);
            if (!a.isOk()) {
                problems.add(new Problem(Problem.INVALID_SPEC, "InvalidEgressIP", field + ": " + a.message()));
            } else if (!pool.contains(a.orElseThrow())) {
                problems.add(new Problem(Problem.INVALID_SPEC, "EgressIPNotInPool", field + ": " + pinned
                        + " is not in the gateway's " + f.label() + " pool " + (pool.isEmpty() ? "(empty)" : pool.text())));
            } else {
                fixed.put(p.name(), a.orElseThrow());
            }
            return;
        }
        if (pool.isEmpty()) {
            return;
        }
        AllocatorPolicy how = spec == null || spec.allocatorPolicy() == null ? AllocatorPolicy.DEFAULT
                : spec.allocatorPolicy();
        if (how == AllocatorPolicy.DEFAULT) {
            pools.defaultEip(f).ifPresent(d -> fixed.put(p.name(), d));
        } else {
            rr.add(p.name());
        }
    }

    private static Allocation<IpAddress> roundRobin(IpPool pool, List<String> keys, Map<String, Claim> previous,
                                                    Family f, TreeSet<IpAddress> reserved) {
        Map<String, String> claims = new HashMap<>();
        for (String k : keys) {
            Claim c = previous.get(k);
            String text = c == null ? null : (f == Family.IPV4 ? c.ipv4() : c.ipv6());
            if (text != null) {
                claims.put(k, text);
            }
        }
        Iterator<IpAddress> candidates = pool.iterator();
        return Claims.resolve(keys, claims, text -> {
            Parsed<IpAddress> a = IpAddress.parse(text, f);
            if (!a.isOk()) {
                return Claims.Result.bad(a.message());
            }
            if (!pool.contains(a.orElseThrow())) {
                return Claims.Result.bad(text + " is no longer in the pool");
            }
            if (reserved.contains(a.orElseThrow())) {
                return Claims.Result.bad(text + " is the default EIP or pinned by a policy");
            }
            return Claims.Result.ok(a.orElseThrow());
        }, (key, used) -> {
            while (candidates.hasNext()) {
                IpAddress c = candidates.next();
                if (!used.contains(c) && !reserved.contains(c)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }, IpAddress::text);
    }

    private static IpUsage usage(GatewayPools pools, Map<String, PolicyEip> eips) {
        BigInteger[] free = new BigInteger[2];
        for (Family f : Family.values()) {
            TreeSet<IpAddress> used = new TreeSet<>();
            pools.defaultEip(f).ifPresent(used::add);
            for (PolicyEip e : eips.values()) {
                IpAddress a = f == Family.IPV4 ? e.ipv4() : e.ipv6();
                if (a != null) {
                    used.add(a);
                }
            }
            free[f.ordinal()] = pools.pool(f).freeCount(used);
        }
        return new IpUsage(pools.ipv4().size(), free[0], pools.ipv6().size(), free[1]);
    }
}
