package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.application.port.out.AgentNodeReport;
import io.egressgateway.application.port.out.RecordEventPort;
import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.ForwardMethod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every API request the agent and the controller make is granted by deploy/rbac.yaml, and every
 * grant there is used (except the listed exemptions). Requests are recorded by the mock server and
 * told apart from the fixtures' own by the User-Agent of the client under test.
 */
@EnableKubernetesMockClient(crud = true)
class RbacCoverageTest {
    static final String UA = "egressgateway-under-test";
    /** Grants no mock request can show, with why they are needed. */
    static final Set<String> EXEMPT = Set.of(
            // OwnerReferencesPermissionEnforcement: blockOwnerDeletion on slice owner references
            "egressgateway.spidernet.io egressgatewaypolicies/finalizers update",
            // finalizer removal on EgressNodes under the same admission plugin
            "egressgateway.spidernet.io egressnodes/finalizers update",
            // a slice write starts from the informer's copy (CacheFirst) and re-reads only after a
            // 409 or 404, which this scenario on the mock server does not produce (CacheFirstTest does)
            "egressgateway.spidernet.io egressendpointslices get");
    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void agentRequestsAreExactlyTheAgentRoles() throws Exception {
        MockCluster cluster = new MockCluster(client).installCrds();
        try (KubernetesClient tested = underTest()) {
            var adapters = KubernetesAdapters.from(tested, TestSettings.defaults());
            cluster.node("n1", true, Map.of(), "192.0.2.11", "10.244.1.0/24");
            var controller = new ControllerHarness(client, TestSettings.defaults(), false).start();
            Await.until("n1 allocated", () -> controller.egressNode("n1") != null
                    && controller.egressNode("n1").mark() != null);
            controller.stop();
            var watch = adapters.watchAgentState();
            watch.start(() -> { });
            Await.until("agent synced", watch::synced);
            watch.snapshot();
            adapters.renewHeartbeat().renew("n1");
            adapters.renewHeartbeat().renew("n1");
            adapters.updateOwnEgressNode().update("n1", new AgentNodeReport("eth0", null, null, List.of(), true, null,
                    null, Map.of("p", 1L)));
            adapters.witnessKey().load();
            watch.stop();
        }
        check("egressgateway-agent");
    }

    @Test
    void controllerRequestsAreExactlyTheControllerRoles() throws Exception {
        MockCluster cluster = new MockCluster(client).installCrds();
        // the optional network sources are watched only where discovery shows them
        serveDiscovery("networking.k8s.io/v1", "servicecidrs", "ServiceCIDR");
        serveDiscovery("crd.projectcalico.org/v1", "ippools", "IPPool");
        try (KubernetesClient tested = underTest()) {
            var h = new ControllerHarness(tested, TestSettings.with(ForwardMethod.ACTIVE_PASSIVE, 1), false);
            var fixtures = new ControllerHarness(client, TestSettings.defaults(), false);
            cluster.node("n1", true, Map.of("egress", "true"), "192.0.2.11", "10.244.1.0/24");
            cluster.node("n2", true, Map.of("egress", "true"), "192.0.2.12", "10.244.2.0/24");
            fixtures.heartbeat("n1", "n2");
            cluster.gateway("gw", Map.of("egress", "true"), List.of("192.0.2.200"), "192.0.2.200");
            cluster.policy("shop", "gw", Map.of("app", "shop"), EgressIpMode.EgressIP, null, AllocatorPolicy.DEFAULT);
            cluster.pod("shop", "a", "n1", Map.of("app", "shop"), "10.244.1.2");
            cluster.pod("shop", "b", "n1", Map.of("app", "shop"), "10.244.1.3");
            var elected = (KubernetesLeaderElectionAdapter) h.adapters.controller("r1",
                    new KubernetesLeaderElectionAdapter.Timings(Duration.ofSeconds(2), Duration.ofMillis(1500),
                            Duration.ofMillis(200))).get(0);
            elected.start();
            try {
                Await.until("leading", elected::leading);
                fixtures.awaitPolicy("shop", "placed", p -> p.status().node() != null);
                Await.until("two slices", () -> fixtures.slices("shop").size() == 2);
                String first = fixtures.policy("shop").status().node();
                fixtures.clock.advance(Duration.ofSeconds(10)); // the fixtures' clock is not the controller's
                fixtures.cluster.setNodeReady(first, false);
                fixtures.awaitPolicy("shop", "moved", p -> p.status().node() != null && !first.equals(p.status().node()));
                client.pods().inNamespace("shop").withName("a").edit(p -> {
                    p.getStatus().getPodIPs().get(0).setIp("10.244.1.9");
                    return p;
                });
                Await.until("slice updated in place", () -> fixtures.slices("shop").stream()
                        .anyMatch(s -> s.endpoints.get(0).ipv4.equals(List.of("10.244.1.9"))));
                client.pods().inNamespace("shop").withName("b").delete();
                Await.until("one slice", () -> fixtures.slices("shop").size() == 1);
                client.nodes().withName(first).delete();
                Await.until("egressnode released", () -> fixtures.egressNode(first) == null);
                client.resources(EgressGatewayPolicy.class).withName("shop").delete();
                Await.until("slices gone", () -> fixtures.slices("shop").isEmpty());
                var events = new KubernetesEventsAdapter(tested, h.clock);
                events.record("EgressGateway", "gw", RecordEventPort.Type.Normal, "Probe", "repeated");
                events.record("EgressGateway", "gw", RecordEventPort.Type.Normal, "Probe", "repeated");
                h.adapters.caBundleService().start();
                h.adapters.publishCaBundle().publish("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
                CaBundleTest.installWebhookConfigurations(client); // after: the watch publishes into them
                Await.until("caBundle republished", () -> !client.admissionRegistration().v1()
                        .mutatingWebhookConfigurations().withName(KubernetesCaBundleAdapter.MUTATING).get()
                        .getWebhooks().get(0).getClientConfig().getCaBundle().isEmpty());
                h.adapters.caBundleService().stop();
                var ca = h.adapters.storeWebhookCa();
                var storedA = new StoreWebhookCaPort.StoredCa("cert-a", "key-a");
                ca.loadOrStore(storedA);
                ca.replace(storedA, new StoreWebhookCaPort.StoredCa("cert-b", "key-b"));
                byte[] key = h.adapters.witnessKey().loadOrCreate(new byte[32]);
                org.assertj.core.api.Assertions.assertThat(h.adapters.witnessKey().loadOrCreate(new byte[] {1, 2}))
                        .as("the first key stays").isEqualTo(key);
            } finally {
                elected.stop();
            }
        }
        check("egressgateway-controller");
    }

    private void serveDiscovery(String groupVersion, String plural, String kind) {
        server.expect().get().withPath("/apis/" + groupVersion).andReturn(200, new io.fabric8.kubernetes.api.model
                .APIResourceListBuilder().withGroupVersion(groupVersion).addNewResource().withName(plural).withKind(kind)
                .withNamespaced(false).withVerbs("list", "watch").endResource().build()).always();
    }

    private KubernetesClient underTest() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(UA)
                .build()).build();
    }

    private void check(String role) throws InterruptedException {
        Set<String> needed = new TreeSet<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (UA.equals(r.getHeader("User-Agent"))) {
                String n = RbacRules.needed(r.getMethod(), r.getPath());
                if (!n.equals(RbacRules.DISCOVERY)) {
                    needed.add(n);
                }
            }
        }
        Set<String> granted = RbacRules.granted(client, role);
        assertThat(needed).as("requests of %s", role).isNotEmpty();
        Set<String> missing = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (String n : needed) {
            // a namespaced request is granted by the Role in its namespace or by the ClusterRole
            String clusterWide = n.contains(":") ? n.substring(n.indexOf(':') + 1) : n;
            if (granted.contains(n)) {
                used.add(n);
            } else if (granted.contains(clusterWide)) {
                used.add(clusterWide);
            } else {
                missing.add(n);
            }
        }
        assertThat(missing).as("requests %s makes that deploy/rbac.yaml does not grant", role).isEmpty();
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(EXEMPT);
        assertThat(unused).as("grants of %s in deploy/rbac.yaml no request used", role).isEmpty();
    }
}
