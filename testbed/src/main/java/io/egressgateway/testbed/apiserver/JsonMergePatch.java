package io.egressgateway.testbed.apiserver;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON merge patch: objects merge key by key, {@code null} removes a key, and every
 * other value (lists included) replaces what was there. The fabric8 mock server appends lists
 * instead, which breaks {@code kubectl apply} of a shortened list.
 */
final class JsonMergePatch {
    private JsonMergePatch() {
    }

    /** Returns the patched document; {@code target} is not modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? null : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
