package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import io.egressgateway.domain.plan.DatapathPlanner;
import io.egressgateway.domain.plan.NodeSnapshot;
import io.egressgateway.domain.plan.PlannerSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real planner's output (the seed example, dual stack) against the real kernel: node facts read
 * from the namespace, planned, applied, observed back equal, cleaned up. This is the contract
 * between the planner's canonical forms and what observation reads.
 */
class PlannedDatapathNetnsIT {
    @RegisterExtension
    static final NetnsExtension netns = new NetnsExtension();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"gw1, ACTIVE_PASSIVE", "worker, ACTIVE_PASSIVE", "gw1, ACTIVE_ACTIVE", "worker, ACTIVE_ACTIVE"})
    void plannedDatapathAppliesAndObservesBackEqual(String node, ForwardMethod method) {
        String ns = netns.add(node.charAt(0) + method.name().substring(7, 8).toLowerCase());
        int n = node.equals("gw1") ? 11 : 13;
        iface(ns, "eth0", "192.0.2." + n + "/24", "2001:db8::" + n + "/64");
        if (!node.equals("worker")) {
            iface(ns, "eth1", "198.51.100." + n + "/24", "2001:db8:100::" + n + "/64");
        }
        exec(ns, "ip", "route", "add", "default", "via", "192.0.2.1");
        exec(ns, "ip", "-6", "route", "add", "default", "via", "2001:db8::1");
        PlannerSettings settings = PlannerSettings.defaults().withFamilies(true, true);
        ClusterInfo info = clusterInfo();
        OwnershipScope scope = DatapathPlanner.scope(settings, info);
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.AUTO)) {
            Datapath before = dp.observePort().observe(scope);
            Map<String, String> sysctls = before.ofType(Sysctl.class).stream()
                    .collect(Collectors.toMap(Sysctl::path, Sysctl::value));
            List<Policy> policies = method == ForwardMethod.ACTIVE_ACTIVE ? List.of(shop(), spread()) : List.of(shop());
            Datapath desired = DatapathPlanner.plan(new NodeSnapshot(node, dp.nodeFactsPort().read(), egressNodes(),
                    List.of(gateway(method)), policies, slices(policies), info, settings, sysctls));
            assertThat(desired.ofKind(Kind.LINK)).hasSize(2);

            List<DatapathOp> ops = DatapathDiff.between(desired, before);
            assertThat(dp.applyPort().apply(ops).failures()).isEmpty();
            Datapath observed = dp.observePort().observe(scope);
            assertThat(DatapathDiff.between(desired, observed)).as(observed.render()).isEmpty();

            assertThat(dp.cleanup(scope).failures()).isEmpty();
            assertThat(dp.observePort().observe(scope).objects()).allMatch(o -> o.kind() == Kind.SYSCTL);
        }
    }

    private static void iface(String ns, String name, String v4, String v6) {
        exec(ns, "ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        exec(ns, "ip", "addr", "add", v4, "dev", name);
        exec(ns, "ip", "-6", "addr", "add", v6, "dev", name, "nodad");
        exec(ns, "ip", "link", "set", name + "p", "up");
        exec(ns, "ip", "link", "set", name, "up");
    }

    // The seed example of the domain tests (domain/src/test/.../plan/Fixtures.java), dual stack.

    private static EgressNode egressNode(String node, int n, long mark) {
        return new EgressNode(node, 1, EgressNodePhase.Succeeded, "172.31.0." + n + "/16", "fd11::" + n + "/112",
                "66:c5:d6:cc:29:" + n, mark, "eth0", "192.0.2." + n, "2001:db8::" + n, List.of(), Map.of(), List.of());
    }

    private static List<EgressNode> egressNodes() {
        return List.of(egressNode("gw1", 11, 0x26010000L), egressNode("gw2", 12, 0x26020000L),
                egressNode("worker", 13, 0x26030000L));
    }

    private static Gateway gateway(ForwardMethod method) {
        boolean aa = method == ForwardMethod.ACTIVE_ACTIVE;
        EipAssignment eip = new EipAssignment("198.51.100.10", "2001:db8:100::10", List.of("shop"));
        IpPools pools = new IpPools(List.of("198.51.100.10-198.51.100.20"), List.of("2001:db8:100::10-2001:db8:100::20"),
                "198.51.100.10", "2001:db8:100::10");
        GatewayStatus status = new GatewayStatus(1, method, List.of(
                new GatewayNode("gw1", NodeReadiness.Ready, true, List.of(), List.of(eip)),
                new GatewayNode("gw2", NodeReadiness.Ready, aa, List.of(), List.of())),
                null, aa ? 0x26040000L : null, List.of());
        return new Gateway("default", 1, LabelSelector.of(Map.of("egress", "true")), pools, true, status);
    }

    private static Policy shop() {
        return new Policy("shop", 1, "default", new AppliedTo(LabelSelector.of(Map.of("app", "shopping")), null, null),
                List.of("10.6.1.0/24", "2001:db8:6:1::/64"),
                new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0,
                new PolicyStatus(1, "198.51.100.10", "2001:db8:100::10", "gw1", List.of("gw1"), 2, List.of()));
    }

    private static Policy spread() {
        return new Policy("shop-spread", 1, "default", new AppliedTo(LabelSelector.of(Map.of("app", "shopping")), null, null),
                List.of("10.6.2.0/24", "2001:db8:6:2::/64"), new EgressIpSpec(EgressIpMode.NodeIP, null, null, null), 0,
                new PolicyStatus(1, null, null, null, List.of("gw1", "gw2"), 2, List.of()));
    }

    private static List<EndpointSlice> slices(List<Policy> policies) {
        return policies.stream().map(p -> new EndpointSlice(p.name() + "-x1", p.name(), List.of(
                new Endpoint("shop", "web-1", "worker", List.of("10.244.3.17"), List.of("fd00:10:244:3::11")),
                new Endpoint("shop", "web-2", "gw1", List.of("10.244.1.5"), List.of("fd00:10:244:1::5"))))).toList();
    }

    private static ClusterInfo clusterInfo() {
        return new ClusterInfo(List.of("10.244.0.0/16", "fd00:10:244::/56"), List.of("10.96.0.0/12", "fd00:10:96::/112"),
                List.of("192.0.2.11", "192.0.2.12", "192.0.2.13", "2001:db8::11", "2001:db8::12", "2001:db8::13"),
                List.of("172.31.0.0/16", "fd11::/112"),
                List.of("198.51.100.10-198.51.100.20", "2001:db8:100::10-2001:db8:100::20"), ClusterInfo.ALWAYS, List.of(),
                true);
    }
}
