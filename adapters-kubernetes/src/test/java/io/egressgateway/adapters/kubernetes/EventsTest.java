package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.application.port.out.RecordEventPort.Type;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events name their object the way kubectl describe searches for them (kind, name, uid, no
 * namespace), and repeats are folded into one Event with a count, as Kubernetes does.
 */
@EnableKubernetesMockClient(crud = true)
class EventsTest {
    KubernetesClient client;
    MockCluster cluster;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    KubernetesEventsAdapter events;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster(client).installCrds();
        cluster.gateway("gw", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
        events = new KubernetesEventsAdapter(client, clock);
    }

    @Test
    void anEventNamesItsObjectByUidAsDescribeSearchesForIt() {
        EgressGateway gw = client.resources(EgressGateway.class).withName("gw").get();
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        Event e = only();
        assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(e.getInvolvedObject().getUid()).isNotBlank().isEqualTo(gw.getMetadata().getUid());
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("EgressGateway");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("gw");
        assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("egressgateway.spidernet.io/v1");
        assertThat(e.getInvolvedObject().getResourceVersion()).isEqualTo(gw.getMetadata().getResourceVersion());
        assertThat(e.getInvolvedObject().getNamespace()).as("cluster scoped").isNull();
        assertThat(e.getCount()).isEqualTo(1);
    }

    @Test
    void aRepeatBumpsCountAndLastTimestampInsteadOfAddingAnEvent() {
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        clock.advance(Duration.ofSeconds(30));
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        clock.advance(Duration.ofSeconds(30));
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        Event e = only();
        assertThat(e.getCount()).isEqualTo(3);
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2026-01-01T00:01:00Z");
    }

    @Test
    void anotherMessageIsAnotherEvent() {
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n2 is NotReady");
        events.record("EgressGateway", "gw", Type.Normal, "NodeReady", "node n1 is Ready");
        assertThat(all()).hasSize(3).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void aRecreatedObjectGetsItsOwnEvent() {
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        client.resources(EgressGateway.class).withName("gw").delete();
        Await.until("gw gone", () -> client.resources(EgressGateway.class).withName("gw").get() == null);
        cluster.gateway("gw", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        assertThat(all()).hasSize(2).extracting(e -> e.getInvolvedObject().getUid()).doesNotHaveDuplicates();
    }

    @Test
    void anExpiredEventIsCreatedAgain() {
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        client.v1().events().inNamespace("default").delete();
        Await.until("event expired", () -> all().isEmpty());
        events.record("EgressGateway", "gw", Type.Warning, "NodeNotReady", "node n1 is NotReady");
        assertThat(only().getCount()).isEqualTo(1);
    }

    @Test
    void anEventAboutAMissingObjectIsDroppedQuietly() {
        events.record("EgressGatewayPolicy", "nope", Type.Normal, "EIPAssigned", "x");
        assertThat(all()).isEmpty();
    }

    private List<Event> all() {
        return client.v1().events().inNamespace("default").list().getItems();
    }

    private Event only() {
        List<Event> all = all();
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
