package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two controller replicas: one leads and reconciles; when it stops, the other takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    static final KubernetesLeaderElectionAdapter.Timings FAST = new KubernetesLeaderElectionAdapter.Timings(
            Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200));
    KubernetesClient client;

    @Test
    void oneLeaderAtATimeAndTheFollowerTakesOver() throws Exception {
        ControllerHarness h = new ControllerHarness(client, TestSettings.defaults());
        h.cluster.node("n1", true, Map.of("egress", "true"), "192.0.2.11", "10.244.1.0/24");
        h.heartbeat("n1");
        var a = (KubernetesLeaderElectionAdapter) h.adapters.controller("replica-a", FAST).get(0);
        var b = (KubernetesLeaderElectionAdapter) h.adapters.controller("replica-b", FAST).get(0);
        a.start();
        b.start();
        try {
            Await.until("exactly one leader", () -> a.leading() ^ b.leading());
            var leader = a.leading() ? a : b;
            var follower = leader == a ? b : a;
            Await.until("the leader reconciles", () -> h.egressNode("n1") != null && h.egressNode("n1").mark() != null);
            assertThat(follower.leading()).isFalse();

            leader.stop();
            Await.until("the follower takes over", follower::leading);
            assertThat(leader.leading()).isFalse();
            h.cluster.gateway("gw", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
            h.cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
            h.awaitPolicy("shop", "placed by the new leader", p -> "n1".equals(p.status().node()));
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void aLeaderThatStoppedRenewingWithoutReleasingIsReplacedOnceItsLeaseExpires() throws Exception {
        ControllerHarness h = new ControllerHarness(client, TestSettings.defaults());
        var now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        client.leases().inNamespace(TestSettings.NAMESPACE).resource(new io.fabric8.kubernetes.api.model.coordination.v1
                .LeaseBuilder().withNewMetadata().withName(KubernetesLeaderElectionAdapter.LEASE)
                .withNamespace(TestSettings.NAMESPACE).endMetadata().withNewSpec().withHolderIdentity("crashed")
                .withLeaseDurationSeconds(2).withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec()
                .build()).create();
        var a = (KubernetesLeaderElectionAdapter) h.adapters.controller("replica-a", FAST).get(0);
        a.start();
        try {
            Await.until("replica-a takes the expired lease", a::leading);
            assertThat(client.leases().inNamespace(TestSettings.NAMESPACE).withName(KubernetesLeaderElectionAdapter.LEASE)
                    .get().getSpec().getHolderIdentity()).isEqualTo("replica-a");
        } finally {
            a.stop();
        }
    }
}
