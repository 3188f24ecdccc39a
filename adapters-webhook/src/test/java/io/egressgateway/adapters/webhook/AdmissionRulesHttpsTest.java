package io.egressgateway.adapters.webhook;

import static io.egressgateway.adapters.webhook.ClusterFixture.gateway;
import static io.egressgateway.adapters.webhook.ClusterFixture.named;
import static io.egressgateway.adapters.webhook.ClusterFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every admission rule over real HTTPS: the table's object, the expected answer and message. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionRulesHttpsTest {
    private static final String USER = "alice";
    private static final String SELECTOR = "\"nodeSelector\":{\"matchLabels\":{\"egress\":\"true\"}}";
    private static final String SHOP_SELECTOR = "\"appliedTo\":{\"podSelector\":{\"matchLabels\":{\"app\":\"shop\"}}}";
    private TestServer server;

    record Case(String name, String path, String kind, String operation, String object, String oldObject, String user,
                Consumer<FakeCluster> setup, boolean allowed, int code, List<String> messages) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static Case allow(String name, String path, String kind, String op, String obj, String old, String user) {
        return new Case(name, path, kind, op, obj, old, user, c -> { }, true, 200, List.of());
    }

    static Case deny(String name, String path, String kind, String op, String obj, String old, String user, int code,
                     String... messages) {
        return new Case(name, path, kind, op, obj, old, user, c -> { }, false, code, List.of(messages));
    }

    static Case gw(String name, String obj, String... messages) {
        return messages.length == 0 ? allow(name, "/validate-egressgateway", "EgressGateway", "CREATE", obj, null, USER)
                : deny(name, "/validate-egressgateway", "EgressGateway", "CREATE", obj, null, USER, 400, messages);
    }

    static Case pol(String name, String obj, String... messages) {
        return messages.length == 0 ? allow(name, "/validate-egressgatewaypolicy", "EgressGatewayPolicy", "CREATE", obj, null, USER)
                : deny(name, "/validate-egressgatewaypolicy", "EgressGatewayPolicy", "CREATE", obj, null, USER, 400, messages);
    }

    static Stream<Case> cases() {
        String p4 = "\"ippools\":{\"ipv4\":[\"10.7.0.0/30\"]}";
        List<Case> c = new ArrayList<>(List.of(
                gw("valid gateway", gateway("edge", SELECTOR + "," + p4)),
                gw("valid gateway without pools", gateway("edge", SELECTOR)),
                gw("nodeSelector missing", gateway("edge", p4), "spec.nodeSelector: \"\": is required and must select nodes"),
                gw("nodeSelector empty", gateway("edge", "\"nodeSelector\":{}"),
                        "spec.nodeSelector: \"\": is required and must select nodes (matchLabels or matchExpressions)"),
                gw("matchExpressions In without values", gateway("edge",
                        "\"nodeSelector\":{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}"),
                        "spec.nodeSelector.matchExpressions[0].values: \"\": must not be empty for operator In"),
                gw("pool entry not an address", gateway("edge", SELECTOR + ",\"ippools\":{\"ipv4\":[\"10.7.0.300\"]}"),
                        "spec.ippools.ipv4[0]: \"10.7.0.300\": '10.7.0.300' is not an IPv4 address"),
                gw("range start after end", gateway("edge", SELECTOR + ",\"ippools\":{\"ipv4\":[\"10.7.0.9-10.7.0.1\"]}"),
                        "spec.ippools.ipv4[0]: \"10.7.0.9-10.7.0.1\": '10.7.0.9-10.7.0.1' ends before it starts"),
                gw("IPv6 entry in the IPv4 pool", gateway("edge", SELECTOR + ",\"ippools\":{\"ipv4\":[\"fd00:7::1\"]}"),
                        "spec.ippools.ipv4[0]: \"fd00:7::1\": 'fd00:7::1' is IPv6, but this is the IPv4 pool"),
                gw("pool CIDR with host bits is taken as its network", gateway("edge", SELECTOR
                        + ",\"ippools\":{\"ipv6\":[\"fd00:7::1/120\"]}")),
                gw("default EIP outside its pool", gateway("edge", SELECTOR
                        + ",\"ippools\":{\"ipv4\":[\"10.7.0.0/30\"],\"ipv4DefaultEIP\":\"10.7.1.1\"}"),
                        "spec.ippools.ipv4DefaultEIP: \"10.7.1.1\": 10.7.1.1 is not in the IPv4 pool 10.7.0.0-10.7.0.3"),
                gw("pool overlaps another gateway", gateway("edge", SELECTOR + ",\"ippools\":{\"ipv4\":[\"10.6.1.62\"]}"),
                        "spec.ippools.ipv4[0]: \"10.6.1.62\": overlaps the pool of gateway default at 10.6.1.62"),
                gw("second cluster default", gateway("edge", SELECTOR + ",\"clusterDefault\":true"),
                        "spec.clusterDefault: \"true\": gateway default is already the cluster default; at most one gateway may be"),
                gw("wrong JSON type", gateway("edge", SELECTOR + ",\"clusterDefault\":\"yes\""),
                        "spec.clusterDefault: \"yes\": must be true or false"),
                gw("every violation at once", gateway("edge", "\"ippools\":{\"ipv4\":[\"x\",\"10.6.1.55\"]}"),
                        "spec.nodeSelector: \"\": is required and must select nodes",
                        "spec.ippools.ipv4[0]: \"x\": 'x' is not an IPv4 address",
                        "spec.ippools.ipv4[1]: \"10.6.1.55\": overlaps the pool of gateway default at 10.6.1.55"),
                deny("update removes an IP in use", "/validate-egressgateway", "EgressGateway", "UPDATE",
                        gateway("default", SELECTOR + ",\"clusterDefault\":true,\"ippools\":{\"ipv4\":[\"10.6.1.55\"]}"),
                        ClusterFixture.DEFAULT_GATEWAY, USER, 400,
                        "spec.ippools.ipv4: \"10.6.1.60\": 10.6.1.60 is in use by policy shop and cannot be removed from the pool"),
                allow("update keeping IPs in use", "/validate-egressgateway", "EgressGateway", "UPDATE",
                        gateway("default", SELECTOR + ",\"clusterDefault\":true,\"ippools\":{\"ipv4\":[\"10.6.1.60\"]}"),
                        ClusterFixture.DEFAULT_GATEWAY, USER),
                deny("delete of a gateway in use", "/validate-egressgateway", "EgressGateway", "DELETE", null,
                        ClusterFixture.DEFAULT_GATEWAY, USER, 409,
                        "EgressGateway default is still used by EgressGatewayPolicy shop"),
                allow("delete of an unused gateway", "/validate-egressgateway", "EgressGateway", "DELETE", null,
                        gateway("empty", SELECTOR), USER),

                pol("valid policy", policy("web", SHOP_SELECTOR + ",\"egressGatewayName\":\"default\","
                        + "\"destCIDR\":[\"10.6.1.0/24\",\"fd00:1::/64\"],\"egressIP\":{\"ipv4\":\"10.6.1.61\",\"ipv6\":\"fd00:6::11\"}")),
                pol("valid policy on the cluster default", policy("web", "\"appliedTo\":{\"podSubnet\":[\"10.244.0.0/16\"]}")),
                pol("podSelector and podSubnet", policy("web", "\"appliedTo\":{\"podSelector\":{},\"podSubnet\":[\"10.244.0.0/16\"]}"),
                        "spec.appliedTo: \"podSelector,podSubnet\": has both podSelector and podSubnet; exactly one is allowed"),
                pol("neither podSelector nor podSubnet", policy("web", "\"appliedTo\":{}"),
                        "spec.appliedTo: \"\": needs exactly one of podSelector and podSubnet"),
                pol("appliedTo missing", policy("web", "\"destCIDR\":[]"),
                        "spec.appliedTo: \"\": needs exactly one of podSelector and podSubnet"),
                pol("namespaceSelector with podSubnet", policy("web",
                        "\"appliedTo\":{\"podSubnet\":[\"10.244.0.0/16\"],\"namespaceSelector\":{}}"),
                        "spec.appliedTo.namespaceSelector: \"\": is only allowed together with podSelector"),
                pol("destCIDR with host bits", policy("web", SHOP_SELECTOR + ",\"destCIDR\":[\"10.6.1.1/24\"]"),
                        "spec.destCIDR[0]: \"10.6.1.1/24\": '10.6.1.1/24' has host bits set; the network is 10.6.1.0/24"),
                pol("podSubnet not a CIDR", policy("web", "\"appliedTo\":{\"podSubnet\":[\"banana\"]}"),
                        "spec.appliedTo.podSubnet[0]: \"banana\": 'banana' has no prefix length, expected a CIDR like 10.6.1.0/24"),
                pol("prefix too long", policy("web", SHOP_SELECTOR + ",\"destCIDR\":[\"10.0.0.0/33\"]"),
                        "spec.destCIDR[0]: \"10.0.0.0/33\": '10.0.0.0/33' has an invalid prefix length, expected 0-32"),
                pol("EIP with mode NodeIP", policy("web", SHOP_SELECTOR + ",\"egressIP\":{\"mode\":\"NodeIP\",\"ipv4\":\"10.6.1.61\"}"),
                        "spec.egressIP.ipv4: \"10.6.1.61\": is only allowed with mode EgressIP (mode is NodeIP)"),
                pol("EIP outside the pool", policy("web", SHOP_SELECTOR + ",\"egressIP\":{\"ipv4\":\"10.6.1.99\"}"),
                        "spec.egressIP.ipv4: \"10.6.1.99\": 10.6.1.99 is not in the IPv4 pool of gateway default (10.6.1.55,10.6.1.60-10.6.1.65)"),
                pol("EIP of the wrong family", policy("web", SHOP_SELECTOR + ",\"egressIP\":{\"ipv4\":\"fd00:6::11\"}"),
                        "spec.egressIP.ipv4: \"fd00:6::11\": 'fd00:6::11' is an IPv6 address, expected IPv4"),
                pol("unknown gateway", policy("web", SHOP_SELECTOR + ",\"egressGatewayName\":\"nope\""),
                        "spec.egressGatewayName: \"nope\": gateway nope does not exist"),
                pol("mode EgressIP on a gateway without pool", policy("web", SHOP_SELECTOR
                        + ",\"egressGatewayName\":\"empty\",\"egressIP\":{\"mode\":\"EgressIP\"}"),
                        "spec.egressIP.mode: \"EgressIP\": needs an EIP pool, but gateway empty has none"),
                pol("unknown mode", policy("web", SHOP_SELECTOR + ",\"egressIP\":{\"mode\":\"Bogus\"}"),
                        "spec.egressIP.mode: \"Bogus\": must be one of EgressIP, NodeIP, None"),
                pol("unknown allocatorPolicy", policy("web", SHOP_SELECTOR + ",\"egressIP\":{\"allocatorPolicy\":\"random\"}"),
                        "spec.egressIP.allocatorPolicy: \"random\": must be one of default, rr"),
                deny("gateway name changed", "/validate-egressgatewaypolicy", "EgressGatewayPolicy", "UPDATE",
                        policy("shop", SHOP_SELECTOR + ",\"egressGatewayName\":\"empty\",\"egressIP\":{\"mode\":\"NodeIP\"}"),
                        policy("shop", SHOP_SELECTOR + ",\"egressGatewayName\":\"default\",\"egressIP\":{\"mode\":\"NodeIP\"}"),
                        USER, 400, "spec.egressGatewayName: \"empty\": is immutable after create (was 'default')"),
                deny("mode and EIP changed", "/validate-egressgatewaypolicy", "EgressGatewayPolicy", "UPDATE",
                        policy("shop", SHOP_SELECTOR + ",\"egressGatewayName\":\"default\",\"egressIP\":{\"mode\":\"EgressIP\",\"ipv4\":\"10.6.1.61\"}"),
                        policy("shop", SHOP_SELECTOR + ",\"egressGatewayName\":\"default\",\"egressIP\":{\"mode\":\"EgressIP\",\"ipv4\":\"10.6.1.60\"}"),
                        USER, 400, "spec.egressIP.ipv4: \"10.6.1.61\": is immutable after create (was '10.6.1.60')"),
                allow("priority change is allowed", "/validate-egressgatewaypolicy", "EgressGatewayPolicy", "UPDATE",
                        policy("shop", SHOP_SELECTOR + ",\"egressGatewayName\":\"default\",\"priority\":5"),
                        policy("shop", SHOP_SELECTOR + ",\"egressGatewayName\":\"default\""), USER),

                deny("user creates an EgressNode", "/validate-controller-owned", "EgressNode", "CREATE",
                        named("EgressNode", "node1"), null, USER, 403,
                        "CREATE of EgressNode node1 refused: EgressNode is written by the egressgateway controller only; alice may read it but not change it"),
                allow("controller updates an EgressNode", "/validate-controller-owned", "EgressNode", "UPDATE",
                        named("EgressNode", "node1"), named("EgressNode", "node1"), TestServer.CONTROLLER),
                deny("user deletes an EgressEndpointSlice", "/validate-controller-owned", "EgressEndpointSlice", "DELETE",
                        null, named("EgressEndpointSlice", "shop-x1"), USER, 403,
                        "DELETE of EgressEndpointSlice shop-x1 refused: EgressEndpointSlice is written by the egressgateway controller only"),
                allow("garbage collector deletes an EgressEndpointSlice", "/validate-controller-owned", "EgressEndpointSlice",
                        "DELETE", null, named("EgressEndpointSlice", "shop-x1"),
                        "system:serviceaccount:kube-system:generic-garbage-collector"),
                deny("user updates EgressClusterInfo", "/validate-controller-owned", "EgressClusterInfo", "UPDATE",
                        named("EgressClusterInfo", "default"), named("EgressClusterInfo", "default"), USER, 403,
                        "UPDATE of EgressClusterInfo default refused")));
        c.add(new Case("empty gateway name without a cluster default", "/validate-egressgatewaypolicy",
                "EgressGatewayPolicy", "CREATE", policy("web", SHOP_SELECTOR), null, USER,
                cl -> cl.gateways.removeIf(g -> g.clusterDefault()), false, 400,
                List.of("spec.egressGatewayName: \"\": is empty and no gateway is the cluster default (spec.clusterDefault: true)")));
        c.addAll(moveRequests(p4));
        return c.stream();
    }

    /** The move-eip annotation on UPDATE, judged on the stored status (node readiness decoded from it). */
    static List<Case> moveRequests(String pools) {
        String status = ",\"status\":{\"nodeList\":[{\"name\":\"n2\",\"status\":\"Ready\",\"eips\":[{\"ipv4\":"
                + "\"10.7.0.1\",\"policies\":[{\"name\":\"shop\"}]}]},{\"name\":\"n3\",\"status\":\"Ready\"},"
                + "{\"name\":\"n4\",\"status\":\"NotReady\"}]}";
        String stored = withStatus(gateway("edge", SELECTOR + "," + pools), status);
        java.util.function.Function<String, String> annotated = v -> stored.replace("\"name\":\"edge\"}",
                "\"name\":\"edge\",\"annotations\":{\"egressgateway.spidernet.io/move-eip\":\"" + v + "\"}}");
        String path = "/validate-egressgateway";
        String field = "metadata.annotations[egressgateway.spidernet.io/move-eip]";
        return List.of(
                allow("move to a Ready node", path, "EgressGateway", "UPDATE", annotated.apply("10.7.0.1=n3@a1"), stored, USER),
                deny("move to a NotReady node", path, "EgressGateway", "UPDATE", annotated.apply("10.7.0.1=n4"), stored, USER,
                        400, field + ": \"10.7.0.1=n4\": node n4 is NotReady in gateway edge: only a Ready node can take an EIP"),
                deny("move to a node the gateway does not select", path, "EgressGateway", "UPDATE",
                        annotated.apply("10.7.0.1=worker"), stored, USER, 400,
                        field + ": \"10.7.0.1=worker\": node worker is not a node of gateway edge"),
                deny("move of an EIP no policy uses", path, "EgressGateway", "UPDATE", annotated.apply("10.7.0.2=n3"),
                        stored, USER, 400, field + ": \"10.7.0.2=n3\": EIP 10.7.0.2 is not placed on any node"),
                deny("malformed move request", path, "EgressGateway", "UPDATE", annotated.apply("n3"), stored, USER, 400,
                        field + ": \"n3\": 'n3' has no '<eip>='"),
                allow("a stored request is not judged again", path, "EgressGateway", "UPDATE",
                        annotated.apply("10.7.0.1=n4"), annotated.apply("10.7.0.1=n4"), USER));
    }

    private static String withStatus(String object, String status) {
        return object.substring(0, object.length() - 1) + status + "}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answers_as_the_table_says(Case c) throws Exception {
        server.cluster.gateways.clear();
        server.cluster.policies.clear();
        ClusterFixture.fill(server.cluster);
        c.setup().accept(server.cluster);
        String req = Reviews.request(c.kind(), c.operation(), c.object(), c.oldObject(), c.user());

        HttpResponse<String> http = server.post(c.path(), req);

        assertThat(http.statusCode()).isEqualTo(200);
        JsonNode resp = Reviews.response(http.body());
        assertThat(resp.path("uid").stringValue()).isEqualTo(Reviews.uid(req));
        assertThat(resp.path("allowed").booleanValue()).as(http.body()).isEqualTo(c.allowed());
        if (!c.allowed()) {
            assertThat(resp.path("status").path("code").asInt()).isEqualTo(c.code());
            String message = resp.path("status").path("message").stringValue();
            for (String m : c.messages()) {
                assertThat(message).contains(m);
            }
            if (c.code() == 400) {
                // every violation is also a cause carrying its field path
                JsonNode causes = resp.path("status").path("details").path("causes");
                List<String> fields = new ArrayList<>();
                causes.forEach(x -> fields.add(x.path("field").stringValue()));
                for (String m : c.messages()) {
                    assertThat(fields).contains(m.substring(0, m.indexOf(": ")));
                }
            }
        } else {
            assertThat(resp.has("status")).isFalse();
        }
    }
}
