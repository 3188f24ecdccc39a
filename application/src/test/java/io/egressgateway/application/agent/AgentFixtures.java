package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.application.port.out.CacheBarrier;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.application.port.out.UpdateOwnEgressNodePort;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Small fakes for the agent loop: a watch whose state the test sets, a report sink, a toy planner. */
final class AgentFixtures {
    private AgentFixtures() {
    }

    static final NodeFacts FACTS = new NodeFacts(List.of(new InterfaceFacts("eth0", 1500, "02:00:00:00:00:01",
            List.of("192.0.2.11/24"), List.of())), "eth0", null);

    static Policy policy(String name, long generation, String eip) {
        return new Policy(name, generation, "default", new AppliedTo(null, null, List.of("10.244.0.0/16")),
                List.of("198.51.100.0/24"), new EgressIpSpec(EgressIpMode.EgressIP, null, null, null), 0,
                new PolicyStatus(generation, eip, null, "node1", List.of(), 1, List.of()));
    }

    static EndpointSlice slice(String policy, String... ips) {
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < ips.length; i++) {
            eps.add(new Endpoint("shop", "web-" + i, "node1", List.of(ips[i]), List.of()));
        }
        return new EndpointSlice(policy + "-a", policy, eps);
    }

    static AgentClusterState state(List<Policy> policies, List<EndpointSlice> slices) {
        return new AgentClusterState(List.of(), List.of(), policies, slices, Optional.empty());
    }

    static final class FakeWatch implements WatchAgentStatePort {
        final AtomicReference<AgentClusterState> state = new AtomicReference<>(state(List.of(), List.of()));
        volatile boolean synced = true;
        volatile Runnable onChange = () -> { };

        @Override public void start(Runnable onChange) { this.onChange = onChange; }
        @Override public boolean synced() { return synced; }
        @Override public AgentClusterState snapshot() { return state.get(); }
        @Override public void stop() { }

        /** What a direct read returns (null: the read fails) and the cache's gateway versions. */
        volatile CacheBarrier served = new CacheBarrier("1", Map.of());
        volatile Map<String, String> cachedVersions = Map.of();
        final AtomicInteger barrierReads = new AtomicInteger();

        @Override public CacheBarrier readBarrier() {
            barrierReads.incrementAndGet();
            CacheBarrier b = served;
            if (b == null) {
                throw new IllegalStateException("API server unreachable");
            }
            return b;
        }

        @Override public boolean caughtUp(CacheBarrier barrier) { return barrier.reachedBy(cachedVersions); }

        void set(AgentClusterState s) {
            state.set(s);
            onChange.run();
        }
    }

    static final class RecordingReport implements UpdateOwnEgressNodePort {
        final List<AgentNodeReport> reports = new ArrayList<>();

        @Override public synchronized boolean update(String nodeName, AgentNodeReport report) {
            reports.add(report);
            return true;
        }

        synchronized AgentNodeReport last() {
            return reports.get(reports.size() - 1);
        }
    }

    /**
     * One source set per policy with its endpoints' IPs, an announcement of its EIP unless fenced, and
     * an ip rule per Ready gateway mark the test sets; a gateway's connections are pinned while its rule
     * is planned (the real criterion, the restore rule, is the domain's PinnedMarks).
     */
    static final class ToyPlanning implements DatapathPlanning {
        static final long OWNED = 0xffff0000L;
        final AtomicReference<List<Long>> gatewayMarks = new AtomicReference<>(List.of());

        @Override
        public Datapath plan(AgentClusterState state, NodeFacts facts, boolean fenced) {
            List<DatapathObject> objects = new ArrayList<>();
            for (long mark : gatewayMarks.get()) {
                objects.add(new RouteRule(Family.IPV4, 99, mark, 0xffffffffL, mark));
            }
            for (Policy p : state.policies()) {
                List<String> members = state.endpointSlices().stream().filter(s -> s.policy().equals(p.name()))
                        .flatMap(s -> s.endpoints().stream()).flatMap(e -> e.ipv4().stream()).map(ip -> ip + "/32").toList();
                objects.add(new IpSet("egress-src-v4-" + p.name(), Family.IPV4, members));
                if (!fenced && p.status().eipV4() != null) {
                    objects.add(new EipAnnouncement(p.status().eipV4(), "eth0"));
                }
            }
            return Datapath.of(objects);
        }

        @Override
        public OwnershipScope scope(AgentClusterState state) {
            return new OwnershipScope("egress-", "egress-", "EGRESSGATEWAY-", 99, 99, 0x26000000L, 0xff000000L,
                    List.of("192.0.2.200/29"), List.of());
        }

        @Override
        public Map<String, Long> programmedGenerations(AgentClusterState state) {
            Map<String, Long> m = new TreeMap<>();
            state.policies().forEach(p -> m.put(p.name(), p.generation()));
            return m;
        }

        @Override
        public List<ConnectionPin> lostPins(Datapath before, Datapath after) {
            return rules(before).stream().filter(m -> !rules(after).contains(m))
                    .map(m -> new ConnectionPin(Family.IPV4, m, OWNED)).toList();
        }

        @Override
        public boolean restores(Datapath d, ConnectionPin pin) {
            return rules(d).contains(pin.mark());
        }

        private static List<Long> rules(Datapath d) {
            return d.ofType(RouteRule.class).stream().map(RouteRule::mark).toList();
        }
    }
}
