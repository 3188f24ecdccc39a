package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.application.port.out.ReadEgressStatePort;
import io.egressgateway.domain.move.EipMoveRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ctl's reads and its annotation write, on the mock API server. */
@EnableKubernetesMockClient(crud = true)
class CtlAdapterTest {
    KubernetesClient client;
    MockCluster cluster;
    KubernetesAdapters adapters;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster(client).installCrds();
        adapters = KubernetesAdapters.from(client, TestSettings.defaults());
    }

    @Test
    void oneReadCarriesTheProgrammedGenerationsAndRenewTimesOfTheHeartbeatLeases() {
        cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
        cluster.gateway("default", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
        client.leases().inNamespace(TestSettings.NAMESPACE).resource(new LeaseBuilder().withNewMetadata()
                .withName("egress-node-n1").withLabels(Map.of(HeartbeatLeases.NODE_LABEL, "n1"))
                .withAnnotations(Map.of(HeartbeatLeases.PROGRAMMED, "shop=3")).endMetadata()
                .withNewSpec().withRenewTime(ZonedDateTime.parse("2026-03-01T10:00:00Z")).endSpec().build()).create();
        var en = new io.egressgateway.adapters.kubernetes.crd.EgressNode();
        en.getMetadata().setName("n1");
        client.resources(io.egressgateway.adapters.kubernetes.crd.EgressNode.class).resource(en).create();

        EgressState s = adapters.readEgressState().read();
        assertThat(s.gateways()).extracting(g -> g.name()).containsExactly("default");
        assertThat(s.nodes()).extracting(n -> n.name()).containsExactly("n1");
        assertThat(s.egressNode("n1").orElseThrow().programmed()).isEqualTo(Map.of("shop", 3L));
        assertThat(s.heartbeats().get("n1")).hasToString("2026-03-01T10:00:00Z");
        assertThat(s.moveRequests()).isEmpty();
    }

    @Test
    void aPodAndItsNamespaceLabelsAreReadByNameAndAMissingPodIsEmpty() {
        cluster.pod("shop", "web-1", "n1", Map.of("app", "web"), "10.244.1.5");
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("shop").withLabels(Map.of("team", "a")).endMetadata().build()).create();
        ReadEgressStatePort read = adapters.readEgressState();
        assertThat(read.pod("shop", "web-1").orElseThrow().labels()).isEqualTo(Map.of("app", "web"));
        assertThat(read.pod("shop", "nope")).isEmpty();
        assertThat(read.namespaceLabels("shop")).isEqualTo(Map.of("team", "a"));
        assertThat(read.namespaceLabels("none")).isEmpty();
    }

    @Test
    void theMoveRequestIsTheAnnotationAloneAndIsReadBack() {
        cluster.gateway("default", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
        adapters.requestEipMove().request("default", "192.0.2.200=n2@abc");
        EgressGateway g = client.resources(EgressGateway.class).withName("default").get();
        assertThat(g.getMetadata().getAnnotations()).containsEntry(EipMoveRequest.ANNOTATION, "192.0.2.200=n2@abc");
        assertThat(g.getSpec().ippools.ipv4).containsExactly("192.0.2.200");
        assertThat(adapters.readEgressState().read().moveRequests()).isEqualTo(Map.of("default", "192.0.2.200=n2@abc"));
    }

    @Test
    void aMissingGatewayIsAnErrorNamingIt() {
        assertThatThrownBy(() -> adapters.requestEipMove().request("nosuch", "192.0.2.200=n2"))
                .hasMessageContaining("EgressGateway nosuch");
    }
}
