package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** deploy/webhooks.yaml and the server agree: every registered path is served, every served path registered. */
class DeployedWebhooksTest {
    private static List<JsonNode> webhooks() throws IOException {
        Path file = Path.of("..", "deploy", "webhooks.yaml");
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc.path("kind").stringValue("").endsWith("WebhookConfiguration")) {
                    doc.path("webhooks").forEach(w -> out.add(((tools.jackson.databind.node.ObjectNode) w.deepCopy())
                            .put("configKind", doc.path("kind").stringValue())));
                }
            }
        }
        return out;
    }

    @Test
    void every_registered_path_is_served_with_the_right_phase_and_every_served_path_is_registered() throws IOException {
        Set<String> registered = new HashSet<>();
        for (JsonNode w : webhooks()) {
            String path = w.path("clientConfig").path("service").path("path").stringValue();
            registered.add(path);
            assertThat(HttpRoutes.ADMISSION_PATHS).containsKey(path);
            String phase = HttpRoutes.ADMISSION_PATHS.get(path).name();
            assertThat(w.path("configKind").stringValue())
                    .isEqualTo(phase.equals("MUTATE") ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration");
        }
        assertThat(registered).isEqualTo(HttpRoutes.ADMISSION_PATHS.keySet());
    }

    @Test
    void every_webhook_is_side_effect_free_v1_with_a_failure_policy_and_a_short_timeout() throws IOException {
        for (JsonNode w : webhooks()) {
            String name = w.path("name").stringValue();
            assertThat(w.path("sideEffects").stringValue()).as(name).isEqualTo("None");
            assertThat(w.path("admissionReviewVersions").toString()).as(name).isEqualTo("[\"v1\"]");
            assertThat(w.path("failurePolicy").stringValue()).as(name).isIn("Fail", "Ignore");
            assertThat(w.path("timeoutSeconds").asInt()).as(name).isBetween(1, 10);
            assertThat(w.path("clientConfig").path("service").path("name").stringValue()).as(name)
                    .isEqualTo("egressgateway-webhook");
            w.path("rules").forEach(r -> assertThat(r.path("apiGroups").toString()).isEqualTo("[\"egressgateway.spidernet.io\"]"));
        }
    }

    @Test
    void gateways_are_validated_on_delete_so_a_gateway_in_use_is_held() throws IOException {
        JsonNode gw = webhooks().stream().filter(w -> w.path("name").stringValue().startsWith("validate-egressgateway."))
                .findFirst().orElseThrow();
        assertThat(gw.path("rules").get(0).path("operations").toString()).contains("DELETE");
        assertThat(Map.of("f", gw.path("failurePolicy").stringValue())).containsEntry("f", "Fail");
    }
}
