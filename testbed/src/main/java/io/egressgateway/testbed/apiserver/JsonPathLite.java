package io.egressgateway.testbed.apiserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The part of kubectl's JSONPath that printer columns use: {@code .a.b}, {@code .a[0]},
 * {@code .a[*].b}, {@code .a[?(@.k=="v")].b}, {@code .metadata.labels.x\.y/z}. Several matches are
 * joined with commas; objects and lists print as JSON.
 */
final class JsonPathLite {
    private static final Pattern FILTER = Pattern.compile("\\?\\(@\\.([A-Za-z0-9_.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)");

    private JsonPathLite() {
    }

    static String eval(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        for (String step : steps(path.trim().replaceAll("^\\{|}$", ""))) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                apply(n, step, next);
            }
            current = next;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : current) {
            if (n != null && !n.isMissingNode() && !n.isNull()) {
                out.add(n.isValueNode() ? n.asString() : Json.write(n));
            }
        }
        return String.join(",", out);
    }

    /** {@code .a.b[0]} -> {@code a}, {@code b}, {@code [0]}; a backslash escapes a dot in a key. */
    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                cur.append(path.charAt(++i));
            } else if (c == '.' || c == '[') {
                if (cur.length() > 0) {
                    steps.add(cur.toString());
                    cur.setLength(0);
                }
                if (c == '[') {
                    int end = path.indexOf(']', i);
                    steps.add(path.substring(i, end + 1));
                    i = end;
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            steps.add(cur.toString());
        }
        return steps;
    }

    private static void apply(JsonNode n, String step, List<JsonNode> out) {
        if (!step.startsWith("[")) {
            out.add(n.path(step));
            return;
        }
        String inner = step.substring(1, step.length() - 1).trim();
        if (inner.equals("*")) {
            if (n.isArray()) {
                n.forEach(out::add);
            } else if (n.isObject()) {
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    out.add(e.getValue());
                }
            }
            return;
        }
        Matcher f = FILTER.matcher(inner);
        if (f.matches()) {
            for (JsonNode item : n) {
                if (eval(item, "." + f.group(1)).equals(f.group(2))) {
                    out.add(item);
                }
            }
            return;
        }
        try {
            int i = Integer.parseInt(inner);
            out.add(n.path(i < 0 ? n.size() + i : i));
        } catch (NumberFormatException e) {
            out.add(n.path(inner.replaceAll("^['\"]|['\"]$", "")));
        }
    }
}
