package io.egressgateway.adapters.webhook;

import static io.egressgateway.adapters.webhook.ClusterFixture.gateway;
import static io.egressgateway.adapters.webhook.ClusterFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The mutating webhooks over HTTPS: each case's object and the exact JSON patch expected back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutationHttpsTest {
    private static final String SELECTOR = "\"nodeSelector\":{\"matchLabels\":{\"egress\":\"true\"}}";
    private static final String SHOP = "\"appliedTo\":{\"podSelector\":{\"matchLabels\":{\"app\":\"shop\"}}}";
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void cluster() {
        server.cluster.gateways.clear();
        server.cluster.policies.clear();
        ClusterFixture.fill(server.cluster);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("gateway: finalizer and both default EIPs", "/mutate-egressgateway", "EgressGateway", "CREATE",
                        gateway("edge", SELECTOR + ",\"ippools\":{\"ipv4\":[\"10.7.0.8/29\"],\"ipv6\":[\"fd00:7::5-fd00:7::9\"]}"),
                        null, """
                        [{"op":"add","path":"/metadata/finalizers","value":["egressgateway.spidernet.io/gateway-in-use"]},
                         {"op":"add","path":"/spec/ippools/ipv4DefaultEIP","value":"10.7.0.8"},
                         {"op":"add","path":"/spec/ippools/ipv6DefaultEIP","value":"fd00:7::5"}]"""),
                Arguments.of("gateway: finalizer appended, default EIP kept", "/mutate-egressgateway", "EgressGateway", "UPDATE",
                        "{\"metadata\":{\"name\":\"edge\",\"finalizers\":[\"other\"]},\"spec\":{" + SELECTOR
                                + ",\"ippools\":{\"ipv4\":[\"10.7.0.8/29\"],\"ipv4DefaultEIP\":\"10.7.0.9\"}}}",
                        gateway("edge", SELECTOR), """
                        [{"op":"add","path":"/metadata/finalizers/-","value":"egressgateway.spidernet.io/gateway-in-use"}]"""),
                Arguments.of("gateway: nothing to do", "/mutate-egressgateway", "EgressGateway", "UPDATE",
                        ClusterFixture.DEFAULT_GATEWAY, ClusterFixture.DEFAULT_GATEWAY, "[]"),
                Arguments.of("policy: cluster default gateway, mode and allocator", "/mutate-egressgatewaypolicy",
                        "EgressGatewayPolicy", "CREATE", policy("web", SHOP), null, """
                        [{"op":"add","path":"/spec/egressGatewayName","value":"default"},
                         {"op":"add","path":"/spec/egressIP","value":{"mode":"EgressIP","allocatorPolicy":"default"}}]"""),
                Arguments.of("policy: NodeIP when the gateway's pool is empty", "/mutate-egressgatewaypolicy",
                        "EgressGatewayPolicy", "CREATE", policy("web", SHOP + ",\"egressGatewayName\":\"empty\",\"egressIP\":{}"),
                        null, """
                        [{"op":"add","path":"/spec/egressIP/mode","value":"NodeIP"},
                         {"op":"add","path":"/spec/egressIP/allocatorPolicy","value":"default"}]"""),
                Arguments.of("policy: update keeps the old gateway and mode", "/mutate-egressgatewaypolicy",
                        "EgressGatewayPolicy", "UPDATE", policy("shop", SHOP + ",\"egressIP\":{\"allocatorPolicy\":\"rr\"}"),
                        policy("shop", SHOP + ",\"egressGatewayName\":\"empty\",\"egressIP\":{\"mode\":\"None\"}"), """
                        [{"op":"add","path":"/spec/egressGatewayName","value":"empty"},
                         {"op":"add","path":"/spec/egressIP/mode","value":"None"}]"""),
                Arguments.of("policy: CIDRs with host bits are normalised", "/mutate-egressgatewaypolicy",
                        "EgressGatewayPolicy", "CREATE", policy("web", "\"appliedTo\":{\"podSubnet\":[\"10.244.1.7/16\"]},"
                                + "\"egressGatewayName\":\"default\",\"destCIDR\":[\"10.6.1.0/24\",\"fd00:1::5/64\"],"
                                + "\"egressIP\":{\"mode\":\"None\",\"allocatorPolicy\":\"rr\"}"), null, """
                        [{"op":"replace","path":"/spec/destCIDR/1","value":"fd00:1::/64"},
                         {"op":"replace","path":"/spec/appliedTo/podSubnet/0","value":"10.244.0.0/16"}]"""),
                Arguments.of("policy: fully given, untouched", "/mutate-egressgatewaypolicy", "EgressGatewayPolicy", "CREATE",
                        policy("web", SHOP + ",\"egressGatewayName\":\"default\",\"egressIP\":{\"mode\":\"None\",\"allocatorPolicy\":\"rr\"}"),
                        null, "[]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answers_with_the_expected_patch(String name, String path, String kind, String op, String object, String old,
                                         String expected) throws Exception {
        String req = Reviews.request(kind, op, object, old, "alice");

        JsonNode resp = Reviews.response(server.post(path, req).body());

        assertThat(resp.path("allowed").booleanValue()).isTrue();
        assertThat(Reviews.patch(resp)).isEqualTo(Reviews.JSON.readTree(expected));
        assertThat(resp.has("patch")).isEqualTo(!expected.equals("[]"));
        // a rewritten value (not a filled-in default) is reported back as a warning kubectl prints
        long rewrites = Reviews.patch(resp).valueStream().filter(o -> o.path("op").stringValue().equals("replace")).count();
        assertThat(resp.path("warnings").size()).isEqualTo((int) rewrites);
    }

    @Test
    void mutating_a_controller_owned_kind_changes_nothing() throws Exception {
        String req = Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "n1"), null, "alice");

        JsonNode resp = Reviews.response(server.post("/mutate-egressgateway", req).body());

        assertThat(resp.path("allowed").booleanValue()).isTrue();
        assertThat(resp.has("patch")).isFalse();
    }
}
