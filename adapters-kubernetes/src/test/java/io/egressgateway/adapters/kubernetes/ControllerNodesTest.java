package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.domain.model.EgressNodePhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node -> EgressNode: creation with finalizer, allocation, phases, release, restart. */
@EnableKubernetesMockClient(crud = true)
class ControllerNodesTest {
    KubernetesClient client;
    ControllerHarness h;

    @BeforeEach
    void setUp() {
        h = new ControllerHarness(client, TestSettings.defaults());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyNodeGetsAnEgressNodeWithUniqueAllocationsAndTheNodeGoingReleasesIt() {
        h.cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        h.cluster.node("n2", true, Map.of(), "192.0.2.12", "10.244.2.0/24");
        h.start();
        Await.until("both EgressNodes allocated", () -> h.egressNode("n1") != null && h.egressNode("n2") != null
                && h.egressNode("n1").phase() == EgressNodePhase.Init && h.egressNode("n2").phase() == EgressNodePhase.Init);
        var n1 = h.egressNode("n1");
        var n2 = h.egressNode("n2");
        assertThat(n1.tunnelIPv4()).endsWith("/16").isNotEqualTo(n2.tunnelIPv4());
        assertThat(n1.tunnelIPv6()).endsWith("/112").isNotEqualTo(n2.tunnelIPv6());
        assertThat(n1.tunnelMac()).matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$").isNotEqualTo(n2.tunnelMac());
        assertThat(n1.mark()).isNotEqualTo(n2.mark());
        assertThat(n1.mark() & 0xff000000L).isEqualTo(0x26000000L);
        assertThat(client.resources(EgressNode.class).withName("n1").get().getMetadata().getFinalizers())
                .containsExactly(Crds.NODE_FINALIZER);
        assertThat(client.resources(EgressNode.class).withName("n1").get().getStatus().mark).matches("^0x[0-9a-f]{8}$");

        client.nodes().withName("n1").delete();
        Await.until("EgressNode n1 released and deleted", () -> h.egressNode("n1") == null);
        assertThat(h.egressNode("n2").mark()).as("n2 untouched").isEqualTo(n2.mark());
    }

    @Test
    void phaseFollowsTheAgentsTunnelAndHeartbeat() {
        h.cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        h.heartbeat("n1");
        h.start();
        Await.until("n1 Init", () -> h.egressNode("n1") != null && h.egressNode("n1").phase() == EgressNodePhase.Init);
        h.adapters.updateOwnEgressNode().update("n1", new AgentNodeReport("eth0", "192.0.2.11", null, List.of(), true,
                null, null, Map.of()));
        Await.until("n1 Succeeded once its tunnel is ready", () -> h.egressNode("n1").phase() == EgressNodePhase.Succeeded);
        assertThat(h.egressNode("n1").physicalInterface()).as("agent field kept by the controller").isEqualTo("eth0");

        // n1 is no gateway candidate: it renews every 10 s and is silent after 10 s + the 5 s eviction
        // (the boundary itself: HeartbeatTrackerTest)
        h.clock.advance(Duration.ofSeconds(16));
        Await.until("n1 HeartbeatTimeout after 16 s of silence",
                () -> h.egressNode("n1").phase() == EgressNodePhase.HeartbeatTimeout);
        Await.until("event recorded", () -> !h.events("HeartbeatTimeout").isEmpty());
        h.heartbeat("n1");
        Await.until("n1 Succeeded again after renewing", () -> h.egressNode("n1").phase() == EgressNodePhase.Succeeded);
    }

    @Test
    void restartKeepsEveryAllocation() {
        for (int i = 1; i <= 5; i++) {
            h.cluster.node("n" + i, true, Map.of(), "192.0.2.1" + i, "10.244." + i + ".0/24");
        }
        h.start();
        Await.until("5 EgressNodes allocated", () -> {
            for (int i = 1; i <= 5; i++) {
                var n = h.egressNode("n" + i);
                if (n == null || n.mark() == null) {
                    return false;
                }
            }
            return true;
        });
        Map<String, String> before = allocations();
        h.stop();
        client.nodes().withName("n2").delete();
        h.cluster.node("n6", true, Map.of(), "192.0.2.16", "10.244.6.0/24");
        h.start();
        Await.until("n6 allocated and n2 gone", () -> h.egressNode("n6") != null && h.egressNode("n6").mark() != null
                && h.egressNode("n2") == null);
        Map<String, String> after = allocations();
        for (String n : List.of("n1", "n3", "n4", "n5")) {
            assertThat(after.get(n)).as("allocation of %s after restart", n).isEqualTo(before.get(n));
        }
        assertThat(new HashSet<>(after.values())).as("all distinct").hasSize(after.size());
    }

    private Map<String, String> allocations() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (var e : client.resources(EgressNode.class).list().getItems()) {
            var s = e.getStatus();
            if (s != null && s.mark != null) {
                out.put(e.getMetadata().getName(), s.vxlanIPv4IP + " " + s.vxlanIPv6IP + " " + s.tunnelMac + " " + s.mark);
            }
        }
        return out;
    }
}
