package io.egressgateway.adapters.webhook;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies an RFC 6902 patch (add, replace, remove) as strictly as the API server does: the parent
 * of an add must exist, a replaced or removed member must exist, array indexes must be in range. A
 * patch that fails here would fail the user's request in a real cluster.
 */
final class JsonPatchApplier {
    private JsonPatchApplier() {
    }

    static JsonNode apply(JsonNode document, JsonNode patch) {
        JsonNode doc = document.deepCopy();
        for (JsonNode op : patch) {
            String path = op.path("path").stringValue();
            int slash = path.lastIndexOf('/');
            JsonNode parent = doc.at(path.substring(0, slash));
            String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            String kind = op.path("op").stringValue();
            if (parent.isMissingNode()) {
                throw new AssertionError("patch " + op + ": the parent of " + path + " does not exist");
            }
            if (parent instanceof ObjectNode o) {
                if (!kind.equals("add") && !o.has(last)) {
                    throw new AssertionError("patch " + op + ": " + path + " does not exist");
                }
                if (kind.equals("remove")) {
                    o.remove(last);
                } else {
                    o.set(last, op.get("value"));
                }
            } else if (parent instanceof ArrayNode a) {
                int idx = last.equals("-") ? a.size() : Integer.parseInt(last);
                int limit = kind.equals("add") ? a.size() : a.size() - 1;
                if (idx < 0 || idx > limit) {
                    throw new AssertionError("patch " + op + ": index " + idx + " out of range");
                }
                switch (kind) {
                    case "add" -> a.insert(idx, op.get("value"));
                    case "replace" -> a.set(idx, op.get("value"));
                    default -> a.remove(idx);
                }
            } else {
                throw new AssertionError("patch " + op + ": the parent of " + path + " is not a container");
            }
        }
        return doc;
    }
}
