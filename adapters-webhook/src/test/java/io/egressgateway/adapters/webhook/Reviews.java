package io.egressgateway.adapters.webhook;

import java.util.Base64;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** AdmissionReview requests as the API server sends them, and reading the answers back. */
final class Reviews {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Reviews() {
    }

    static String request(String kind, String operation, String object, String oldObject, String user) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode req = root.putObject("request");
        req.put("uid", UUID.randomUUID().toString());
        ObjectNode k = req.putObject("kind");
        k.put("group", "egressgateway.spidernet.io");
        k.put("version", "v1");
        k.put("kind", kind);
        req.put("operation", operation);
        JsonNode obj = object == null ? null : JSON.readTree(object);
        JsonNode old = oldObject == null ? null : JSON.readTree(oldObject);
        JsonNode named = obj != null ? obj : old;
        if (named != null && named.path("metadata").path("name").isString()) {
            req.put("name", named.path("metadata").path("name").stringValue());
        }
        req.putObject("userInfo").put("username", user);
        if (obj != null) {
            req.set("object", obj);
        }
        if (old != null) {
            req.set("oldObject", old);
        }
        return JSON.writeValueAsString(root);
    }

    static String uid(String request) {
        return JSON.readTree(request).path("request").path("uid").stringValue();
    }

    static JsonNode response(String body) {
        JsonNode root = JSON.readTree(body);
        if (!"admission.k8s.io/v1".equals(root.path("apiVersion").stringValue(null))
                || !"AdmissionReview".equals(root.path("kind").stringValue(null))
                || !root.path("response").path("uid").isString()
                || !root.path("response").path("allowed").isBoolean()) {
            throw new AssertionError("not an AdmissionReview response: " + body);
        }
        return root.path("response");
    }

    static JsonNode patch(JsonNode response) {
        if (!response.has("patch")) {
            return JSON.createArrayNode();
        }
        if (!"JSONPatch".equals(response.path("patchType").stringValue(null))) {
            throw new AssertionError("patch without patchType JSONPatch: " + response);
        }
        return JSON.readTree(Base64.getDecoder().decode(response.path("patch").stringValue()));
    }
}
