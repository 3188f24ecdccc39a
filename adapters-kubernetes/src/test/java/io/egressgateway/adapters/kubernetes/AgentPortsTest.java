package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfoStatus;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.crd.EgressNodeStatus;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.application.port.out.CacheBarrier;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressNodePhase;
import io.egressgateway.domain.model.NodeInterface;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent-side ports against the mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class AgentPortsTest {
    KubernetesClient client;
    MockCluster cluster;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    KubernetesAdapters adapters;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster(client).installCrds();
        adapters = KubernetesAdapters.from(client, TestSettings.defaults(), clock);
    }

    @Test
    void snapshotHoldsEveryWatchedKindSortedByNameAndOnlyTheDefaultClusterInfo() {
        egressNode("n2", "0x26000002");
        egressNode("n1", "0x26000001");
        cluster.gateway("gw", Map.of("egress", "true"), List.of("192.0.2.200-192.0.2.210"), "192.0.2.200");
        cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
        clusterInfo("default", true);
        clusterInfo("other", false);
        AtomicInteger changes = new AtomicInteger();
        WatchAgentStatePort port = adapters.watchAgentState();
        assertThat(port.synced()).isFalse();
        port.start(changes::incrementAndGet);
        try {
            Await.until("agent informers synced", port::synced);
            Await.until("all objects seen", () -> port.snapshot().egressNodes().size() == 2
                    && port.snapshot().clusterInfo().isPresent());
            var s = port.snapshot();
            assertThat(s.egressNodes()).extracting(n -> n.name()).containsExactly("n1", "n2");
            assertThat(s.egressNodes().get(0).mark()).isEqualTo(0x26000001L);
            assertThat(s.gateways()).extracting(g -> g.name()).containsExactly("gw");
            assertThat(s.gateways().get(0).ippools().ipv4DefaultEIP()).isEqualTo("192.0.2.200");
            assertThat(s.policies()).extracting(p -> p.name()).containsExactly("shop");
            assertThat(s.clusterInfo()).get().extracting(c -> c.complete()).isEqualTo(true);
            assertThat(changes.get()).isGreaterThanOrEqualTo(5);

            int before = changes.get();
            egressNode("n3", "0x26000003");
            Await.until("change callback for n3", () -> changes.get() > before);
            Await.until("n3 in snapshot", () -> port.snapshot().egressNodes().size() == 3);
        } finally {
            port.stop();
        }
    }

    @Test
    void theCacheIsCaughtUpWithADirectReadOnlyOnceItHoldsWhatTheReadSaw() {
        cluster.gateway("gw", Map.of("egress", "true"), List.of("192.0.2.200-192.0.2.210"), "192.0.2.200");
        WatchAgentStatePort port = adapters.watchAgentState();
        port.start(() -> { });
        try {
            Await.until("agent informers synced", port::synced);
            Await.until("gw cached", () -> port.snapshot().gateways().size() == 1);
            CacheBarrier first = port.readBarrier();
            assertThat(first.versions()).containsOnlyKeys("gw");
            Await.until("cache caught up with the first read", () -> port.caughtUp(first));

            port.stop();
            // A change the stopped informers never hear of: the cache is now behind the API server.
            cluster.gateway("gw2", Map.of("egress", "true"), List.of("192.0.2.220"), "192.0.2.220");
            CacheBarrier second = port.readBarrier();
            assertThat(second.versions()).containsOnlyKeys("gw", "gw2");
            assertThat(port.caughtUp(second)).as("gw2 not cached").isFalse();
        } finally {
            port.stop();
        }
    }

    @Test
    void ownEgressNodeUpdateKeepsControllerFieldsAndWritesOnlyWhenChanged() {
        egressNode("n1", "0x26000001");
        var port = adapters.updateOwnEgressNode();
        var report = new AgentNodeReport("eth0", "192.0.2.11", null,
                List.of(new NodeInterface("eth0", List.of("192.0.2.11/24"), List.of())), true, null, null,
                Map.of("shop", 3L));
        assertThat(port.update("n1", report)).isTrue();
        EgressNodeStatus s = client.resources(EgressNode.class).withName("n1").get().getStatus();
        assertThat(s.physicalInterface).isEqualTo("eth0");
        assertThat(s.interfaces).extracting(i -> i.name).containsExactly("eth0");
        assertThat(s.mark).as("controller field kept").isEqualTo("0x26000001");
        assertThat(s.phase).isEqualTo("Init");
        assertThat(s.conditions).extracting(c -> c.getType()).containsExactly("Allocated", "TunnelReady");
        String since = s.conditions.get(1).getLastTransitionTime();

        Lease lease = client.leases().inNamespace(TestSettings.NAMESPACE).withName("egress-node-n1").get();
        assertThat(lease.getMetadata().getAnnotations()).containsEntry(HeartbeatLeases.PROGRAMMED, "shop=3");

        clock.advance(Duration.ofMinutes(1));
        assertThat(port.update("n1", report)).as("same report again writes nothing").isFalse();

        var newer = new AgentNodeReport("eth0", "192.0.2.11", null, report.interfaces(), true, null, null,
                Map.of("shop", 4L, "web", 1L));
        assertThat(port.update("n1", newer)).isTrue();
        assertThat(client.leases().inNamespace(TestSettings.NAMESPACE).withName("egress-node-n1").get()
                .getMetadata().getAnnotations()).containsEntry(HeartbeatLeases.PROGRAMMED, "shop=4,web=1");
        assertThat(client.resources(EgressNode.class).withName("n1").get().getStatus().conditions.get(1)
                .getLastTransitionTime()).as("TunnelReady did not flip").isEqualTo(since);
    }

    @Test
    void ownEgressNodeUpdateOfAMissingEgressNodeWritesNothing() {
        var report = new AgentNodeReport("eth0", null, null, List.of(), false, "NoParent", "no default route",
                Map.of());
        assertThat(adapters.updateOwnEgressNode().update("ghost", report)).isTrue(); // the Lease is created
        assertThat(client.resources(EgressNode.class).withName("ghost").get()).isNull();
    }

    @Test
    void heartbeatCreatesThenRenewsTheLeaseKeepingAnnotations() {
        var hb = adapters.renewHeartbeat();
        assertThat(hb.renew("n1")).isTrue();
        Lease first = client.leases().inNamespace(TestSettings.NAMESPACE).withName("egress-node-n1").get();
        assertThat(HeartbeatLeases.renewTime(first)).isEqualTo(clock.instant());
        assertThat(HeartbeatLeases.nodeOf(first)).isEqualTo("n1");
        assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(5);
        adapters.updateOwnEgressNode().update("n1", new AgentNodeReport("eth0", null, null, List.of(), true, null,
                null, Map.of("shop", 1L)));

        clock.advance(Duration.ofSeconds(1));
        assertThat(hb.renew("n1")).isTrue();
        Lease second = client.leases().inNamespace(TestSettings.NAMESPACE).withName("egress-node-n1").get();
        assertThat(HeartbeatLeases.renewTime(second)).isEqualTo(clock.instant());
        assertThat(HeartbeatLeases.programmed(second)).containsEntry("shop", 1L);
        assertThat(HeartbeatLeases.restarting(second)).isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(hb.renewRestarting("n1")).isTrue();
        Lease stopping = client.leases().inNamespace(TestSettings.NAMESPACE).withName("egress-node-n1").get();
        assertThat(HeartbeatLeases.restarting(stopping)).as("a stopping agent's last renewal").isTrue();
        assertThat(HeartbeatLeases.renewTime(stopping)).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(1));
        assertThat(hb.renew("n1")).isTrue();
        Lease next = client.leases().inNamespace(TestSettings.NAMESPACE).withName("egress-node-n1").get();
        assertThat(HeartbeatLeases.restarting(next)).as("the next agent's renewal clears the mark").isFalse();
        assertThat(HeartbeatLeases.programmed(next)).containsEntry("shop", 1L);
    }

    @Test
    void clusterResourcesComeFromAListBeforeStartAndFromInformersAfter() throws Exception {
        cluster.gateway("b", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
        cluster.gateway("a", Map.of("egress", "true"), List.of("192.0.2.201"), "192.0.2.201");
        var port = adapters.readClusterResources();
        assertThat(port.gateways()).extracting(g -> g.name()).containsExactly("a", "b");
        var service = adapters.clusterResourcesService();
        service.start();
        try {
            cluster.policy("p", "a", Map.of("app", "x"), EgressIpMode.NodeIP, null, AllocatorPolicy.DEFAULT);
            Await.until("policy p in the cache", () -> port.policies().size() == 1);
            assertThat(port.gateways()).extracting(g -> g.name()).containsExactly("a", "b");
        } finally {
            service.stop();
        }
    }

    @Test
    void programmedEncodingRoundTrips() {
        assertThat(HeartbeatLeases.decode(HeartbeatLeases.encode(Map.of("b", 2L, "a", 10L))))
                .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("a", 10L, "b", 2L)));
        assertThat(HeartbeatLeases.encode(Map.of("b", 2L, "a", 10L))).isEqualTo("a=10,b=2");
        assertThat(HeartbeatLeases.decode("a=x,b=1")).containsOnlyKeys("b");
    }

    private void egressNode(String name, String mark) {
        EgressNode n = new EgressNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).build());
        n = client.resources(EgressNode.class).resource(n).create();
        EgressNodeStatus s = new EgressNodeStatus();
        s.phase = EgressNodePhase.Init.name();
        s.mark = mark;
        s.vxlanIPv4IP = "172.31.0.1/16";
        var c = new io.fabric8.kubernetes.api.model.Condition();
        c.setType("Allocated");
        c.setStatus("True");
        c.setReason("Allocated");
        c.setMessage("");
        c.setLastTransitionTime("2026-01-01T00:00:00Z");
        s.conditions = new java.util.ArrayList<>(List.of(c));
        n.setStatus(s);
        client.resources(EgressNode.class).resource(n).updateStatus();
    }

    private void clusterInfo(String name, boolean complete) {
        EgressClusterInfo ci = new EgressClusterInfo();
        ci.setMetadata(new ObjectMetaBuilder().withName(name).build());
        ci = client.resources(EgressClusterInfo.class).resource(ci).create();
        EgressClusterInfoStatus s = new EgressClusterInfoStatus();
        s.complete = complete;
        s.podCIDRs = List.of("10.244.0.0/16");
        ci.setStatus(s);
        client.resources(EgressClusterInfo.class).resource(ci).updateStatus();
    }
}
