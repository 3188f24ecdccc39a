package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.mapping.CrMapping;
import io.egressgateway.domain.model.Endpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes that start from the informer's copy: no GET first, a 409 falls back to the re-read. */
@EnableKubernetesMockClient
class CacheFirstTest {
    private static final String PATH = "/apis/egressgateway.spidernet.io/v1/egressendpointslices/shop-b2c4d";
    KubernetesMockServer server;
    KubernetesClient client;
    final Map<String, EgressEndpointSlice> informer = new HashMap<>();

    private static EgressEndpointSlice slice(String rv, String... pods) {
        EgressEndpointSlice s = new EgressEndpointSlice();
        s.setMetadata(new ObjectMetaBuilder().withName("shop-b2c4d").withResourceVersion(rv).build());
        s.endpoints = CrMapping.endpoints(endpoints(pods));
        return s;
    }

    private static List<Endpoint> endpoints(String... pods) {
        return java.util.Arrays.stream(pods).map(p -> new Endpoint("shop", p, "n1", List.of("10.244.1." + p.length()),
                List.of())).toList();
    }

    @Test
    void theCopyHandedOutIsPrivateAndFollowsOurOwnWriteUntilTheInformerCatchesUp() {
        CacheFirst<EgressEndpointSlice> c = new CacheFirst<>(informer::get, new KubernetesSerialization());
        assertThat(c.base("shop-b2c4d")).as("unknown to the informer: re-read").isNull();
        informer.put("shop-b2c4d", slice("5", "a"));
        EgressEndpointSlice b = c.base("shop-b2c4d");
        assertThat(b).isNotSameAs(informer.get("shop-b2c4d"));
        b.endpoints = List.of();
        assertThat(informer.get("shop-b2c4d").endpoints).as("the informer's object is never changed").hasSize(1);

        c.wrote("shop-b2c4d", slice("6", "a", "bb"), "5");
        assertThat(c.base("shop-b2c4d").getMetadata().getResourceVersion()).as("the informer still shows 5").isEqualTo("6");
        informer.put("shop-b2c4d", slice("6", "a", "bb"));
        assertThat(c.base("shop-b2c4d").getMetadata().getResourceVersion()).isEqualTo("6");
        c.wrote("shop-b2c4d", slice("7", "a"), "6");
        informer.put("shop-b2c4d", slice("9", "a", "ccc"));
        assertThat(c.base("shop-b2c4d").endpoints).as("someone wrote after us: the informer's copy").hasSize(2);
    }

    @Test
    void aFreshCopyIsWrittenWithOnePut() {
        informer.put("shop-b2c4d", slice("5", "a"));
        server.expect().put().withPath(PATH).andReturn(200, slice("6", "a", "bb")).once();
        var adapter = new KubernetesEndpointSlicesAdapter(client, informer::get);
        assertThat(adapter.update("shop-b2c4d", endpoints("a", "bb"))).isTrue();
        assertThat(server.getRequestCount()).as("no GET before the PUT").isEqualTo(1);
        assertThat(adapter.update("shop-b2c4d", endpoints("a", "bb"))).as("what we wrote, though the informer lags")
                .isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aStaleCopyConflictsAndTheWriteStartsOverFromARead() throws Exception {
        informer.put("shop-b2c4d", slice("5", "a"));
        server.expect().put().withPath(PATH).andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                .withMessage("the object has been modified").build()).once();
        server.expect().get().withPath(PATH).andReturn(200, slice("7", "a", "x")).once();
        server.expect().put().withPath(PATH).andReturn(200, slice("8", "a", "bb")).once();
        var adapter = new KubernetesEndpointSlicesAdapter(client, informer::get);
        assertThat(adapter.update("shop-b2c4d", endpoints("a", "bb"))).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);

        // the informer delivers 7 (not yet our 8): the next write starts from 8, not from a copy we know is old
        informer.put("shop-b2c4d", slice("7", "a", "x"));
        server.expect().put().withPath(PATH).andReturn(200, slice("9", "a")).once();
        assertThat(adapter.update("shop-b2c4d", endpoints("a"))).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(server.getLastRequest().getBody().readUtf8()).contains("\"resourceVersion\":\"8\"");
    }
}
