package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.admission.AdmissionService;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admission handler without the network, and the JSON mutator the fuzz tests share: valid
 * reviews of every kind bent by random edits (fields removed, values of the wrong type, deep or
 * huge values, bytes flipped, bodies cut short).
 */
final class ReviewFuzzing {
    static final HttpRoutes ROUTES;
    static final List<String> SEEDS = new ArrayList<>();

    static {
        FakeCluster cluster = new FakeCluster();
        ClusterFixture.fill(cluster);
        MetricRegistry registry = new MetricRegistry();
        ROUTES = new HttpRoutes(EnumSet.of(HttpRoutes.Route.ADMISSION),
                new AdmissionService(cluster, Set.of(TestServer.CONTROLLER), true), new AdmissionReviewCodec(),
                new PrometheusScrape(registry, new io.egressgateway.application.metrics.MetricSources()), ReadinessCheck.always(), ReadinessCheck.always(),
                new WebhookMetrics(), new BoundedWorkers("fuzz", 1, 1, null, System::nanoTime));
        String sel = "\"nodeSelector\":{\"matchLabels\":{\"egress\":\"true\"},\"matchExpressions\":"
                + "[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]}";
        String pools = "\"ippools\":{\"ipv4\":[\"10.7.0.1\",\"10.7.0.8-10.7.0.9\",\"10.7.1.0/28\"],"
                + "\"ipv6\":[\"fd00:7::/120\"],\"ipv4DefaultEIP\":\"10.7.0.1\"}";
        String pol = "\"egressGatewayName\":\"default\",\"appliedTo\":{\"podSelector\":{\"matchLabels\":{\"a\":\"b\"}},"
                + "\"namespaceSelector\":{\"matchLabels\":{\"t\":\"x\"}}},\"destCIDR\":[\"10.6.1.0/24\"],"
                + "\"egressIP\":{\"mode\":\"EgressIP\",\"ipv4\":\"10.6.1.61\",\"allocatorPolicy\":\"rr\"},\"priority\":3";
        String gw = ClusterFixture.gateway("edge", sel + "," + pools + ",\"clusterDefault\":false");
        String policy = ClusterFixture.policy("web", pol);
        SEEDS.add(Reviews.request("EgressGateway", "CREATE", gw, null, "alice"));
        SEEDS.add(Reviews.request("EgressGateway", "UPDATE", ClusterFixture.DEFAULT_GATEWAY,
                ClusterFixture.DEFAULT_GATEWAY, "alice"));
        SEEDS.add(Reviews.request("EgressGateway", "DELETE", null, ClusterFixture.DEFAULT_GATEWAY, "alice"));
        SEEDS.add(Reviews.request("EgressGatewayPolicy", "CREATE", policy, null, "alice"));
        SEEDS.add(Reviews.request("EgressGatewayPolicy", "UPDATE", policy, policy, "alice"));
        SEEDS.add(Reviews.request("EgressNode", "UPDATE", ClusterFixture.named("EgressNode", "n1"),
                ClusterFixture.named("EgressNode", "n1"), "alice"));
    }

    private ReviewFuzzing() {
    }

    /** A seed bent by {@code rounds} random edits; deterministic for a given random. */
    static byte[] mutate(Random r, int rounds) {
        JsonNode root = Reviews.JSON.readTree(SEEDS.get(r.nextInt(SEEDS.size())));
        for (int i = 0; i < rounds; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get(r.nextInt(containers.size()));
            if (target instanceof ObjectNode o && !o.isEmpty()) {
                List<String> names = new ArrayList<>(o.propertyNames());
                String name = names.get(r.nextInt(names.size()));
                if (r.nextInt(4) == 0) {
                    o.remove(name);
                } else {
                    o.set(name, randomValue(r, 0));
                }
            } else if (target instanceof ArrayNode a && !a.isEmpty()) {
                int idx = r.nextInt(a.size());
                if (r.nextBoolean()) {
                    a.remove(idx);
                } else {
                    a.set(idx, randomValue(r, 0));
                }
            } else if (target instanceof ArrayNode a) {
                a.add(randomValue(r, 0));
            }
        }
        byte[] bytes = Reviews.JSON.writeValueAsBytes(root);
        switch (r.nextInt(6)) {
            case 0 -> bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
            default -> { }
        }
        return bytes;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainer()) {
            out.add(n);
            n.values().forEach(c -> collect(c, out));
        }
    }

    private static JsonNode randomValue(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (r.nextInt(depth > 3 ? 8 : 10)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(r.nextBoolean());
            case 2 -> f.numberNode(r.nextLong());
            case 3 -> f.numberNode(r.nextDouble() * 1e300);
            case 4 -> f.stringNode(randomString(r));
            case 5 -> f.stringNode(List.of("", "EgressIP", "NodeIP", "In", "Exists", "10.6.1.60", "fd00:6::11",
                    "10.6.1.0/24", "10.6.1.1/24", "1.2.3.4-1.2.3.1", "default", "CREATE", "DELETE", "EgressGateway",
                    "EgressGatewayPolicy", "egressgateway.spidernet.io", "::", "0.0.0.0/0", "::/0")
                    .get(r.nextInt(19)));
            case 6 -> f.stringNode("x".repeat(r.nextInt(20_000)));
            case 7 -> f.numberNode(new java.math.BigInteger(200, r));
            case 8 -> {
                ArrayNode a = f.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(List.of("spec", "metadata", "ipv4", "mode", "name", "uid", "matchLabels", "podSubnet")
                            .get(r.nextInt(8)), randomValue(r, depth + 1));
                }
                yield o;
            }
        };
    }

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x10FFFF) & 0xFFFF : "0123456789abcdef.:/-x".charAt(r.nextInt(21)));
        }
        return s.toString();
    }

    /** What the API server needs back, whatever came in: a well-formed review, and no internal error. */
    static void assertWellFormedAnswer(byte[] request, byte[] answer) {
        JsonNode resp = Reviews.response(new String(answer, StandardCharsets.UTF_8));
        if (!resp.path("allowed").booleanValue()) {
            assertThat(resp.path("status").path("message").stringValue("")).isNotBlank();
            assertThat(resp.path("status").path("code").asInt()).as("the use case threw: %s",
                    resp.path("status").path("message").stringValue("")).isNotEqualTo(500);
        }
        if (resp.has("patch")) {
            assertThat(resp.path("patchType").stringValue("")).isEqualTo("JSONPatch");
            JsonNode ops = Reviews.JSON.readTree(Base64.getDecoder().decode(resp.path("patch").stringValue()));
            assertThat(ops.isArray()).isTrue();
            ops.forEach(op -> {
                assertThat(op.path("op").stringValue("")).isIn("add", "replace", "remove");
                assertThat(op.path("path").stringValue("")).startsWith("/");
            });
        }
        String uid = "";
        try {
            JsonNode in = Reviews.JSON.readTree(request);
            uid = in.path("request").path("uid").stringValue("");
        } catch (RuntimeException unreadable) {
            // the body is broken; the answer may carry a uid recovered from its text, or none
            return;
        }
        if (!uid.isEmpty()) {
            assertThat(resp.path("uid").stringValue()).isEqualTo(uid);
        }
    }

    static byte[] admit(byte[] body, Phase phase) {
        return ROUTES.admit(body, phase);
    }
}
