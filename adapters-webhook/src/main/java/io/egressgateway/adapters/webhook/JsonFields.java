package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.in.FieldViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of an object's JSON that never throw: a value of the wrong JSON type is recorded as a
 * violation naming the field and the value, and read as absent (null), so every problem of one
 * object is reported at once.
 */
final class JsonFields {
    private final List<FieldViolation> violations = new ArrayList<>();

    List<FieldViolation> violations() {
        return violations;
    }

    static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    JsonNode object(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return null;
        }
        if (!n.isObject()) {
            wrongType(field, n, "an object");
            return null;
        }
        return n;
    }

    String string(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return null;
        }
        if (!n.isString()) {
            wrongType(field, n, "a string");
            return null;
        }
        return n.stringValue();
    }

    boolean bool(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return false;
        }
        if (!n.isBoolean()) {
            wrongType(field, n, "true or false");
            return false;
        }
        return n.booleanValue();
    }

    long int64(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            wrongType(field, n, "an integer");
            return 0;
        }
        return n.asLong();
    }

    int int32(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            wrongType(field, n, "a 32-bit integer");
            return 0;
        }
        return n.asInt();
    }

    /** A list of strings; null when absent. Non-string items are reported and skipped. */
    List<String> strings(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return null;
        }
        if (!n.isArray()) {
            wrongType(field, n, "a list of strings");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            if (item.isString()) {
                out.add(item.stringValue());
            } else {
                wrongType(field + "[" + i + "]", item, "a string");
            }
        }
        return out;
    }

    /** The items of a list of objects; null when absent. */
    List<JsonNode> objects(JsonNode parent, String key, String field) {
        JsonNode n = child(parent, key);
        if (absent(n)) {
            return null;
        }
        if (!n.isArray()) {
            wrongType(field, n, "a list");
            return null;
        }
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (n.get(i).isObject()) {
                out.add(n.get(i));
            } else {
                wrongType(field + "[" + i + "]", n.get(i), "an object");
            }
        }
        return out;
    }

    Map<String, String> stringMap(JsonNode parent, String key, String field) {
        JsonNode n = object(parent, key, field);
        if (n == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : n.propertyNames()) {
            JsonNode v = n.get(k);
            if (v.isString()) {
                out.put(k, v.stringValue());
            } else {
                wrongType(field + "." + k, v, "a string");
            }
        }
        return out;
    }

    <E> E enumValue(JsonNode parent, String key, String field, Function<String, E> parse, String allowed) {
        String s = string(parent, key, field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        E e = parse.apply(s);
        if (e == null) {
            violations.add(new FieldViolation(field, s, "must be one of " + allowed));
        }
        return e;
    }

    void add(FieldViolation v) {
        violations.add(v);
    }

    private static JsonNode child(JsonNode parent, String key) {
        return parent == null || !parent.isObject() ? null : parent.get(key);
    }

    private void wrongType(String field, JsonNode n, String expected) {
        String shown = n.isString() ? n.stringValue() : n.toString();
        if (shown.length() > 200) {
            shown = shown.substring(0, 200) + "...";
        }
        violations.add(new FieldViolation(field, shown, "must be " + expected));
    }
}
