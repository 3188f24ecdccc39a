package io.egressgateway.testbed.apiserver;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side printing ({@code Accept: ...;as=Table;g=meta.k8s.io;v=v1}), which is where kubectl
 * gets its columns from: a CRD's {@code additionalPrinterColumns}, and a few columns for Nodes and
 * Pods. Without it kubectl prints NAME and AGE only.
 */
final class TableConverter {

    /** One column: header, JSONPath (or a built-in computed value), type, priority (1 = only with -o wide). */
    record Column(String name, String type, String jsonPath, int priority) {
    }

    private TableConverter() {
    }

    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    static List<Column> columnsFor(Discovery.ApiResource res, JsonNode crd) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column("Name", "name", ".metadata.name", 0));
        if (crd != null) {
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asString().equals(res.version())) {
                    v.path("additionalPrinterColumns").forEach(c -> cols.add(new Column(c.path("name").asString(),
                            c.path("type").asString("string"), c.path("jsonPath").asString(), c.path("priority").asInt(0))));
                }
            }
            if (cols.size() > 1) {
                return cols;
            }
        } else if (res.group().isEmpty() && res.plural().equals("nodes")) {
            cols.add(new Column("Status", "string", "@ready", 0));
            cols.add(new Column("Roles", "string", "@roles", 0));
            cols.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
            cols.add(new Column("Internal-IP", "string", ".status.addresses[?(@.type==\"InternalIP\")].address", 1));
            cols.add(new Column("Pod-CIDRs", "string", ".spec.podCIDRs[*]", 1));
            return cols;
        } else if (res.group().isEmpty() && res.plural().equals("pods")) {
            cols.add(new Column("Status", "string", ".status.phase", 0));
            cols.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
            cols.add(new Column("IP", "string", ".status.podIPs[*].ip", 1));
            cols.add(new Column("Node", "string", ".spec.nodeName", 1));
            return cols;
        }
        cols.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
        return cols;
    }

    /** {@code body} is a list or one object; {@code includeObject} is the query's value (None, Metadata, Object). */
    static JsonNode toTable(JsonNode body, List<Column> columns, String includeObject) {
        ObjectNode table = Json.MAPPER.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = table.putObject("metadata");
        meta.put("resourceVersion", body.path("metadata").path("resourceVersion").asString(""));
        ArrayNode defs = table.putArray("columnDefinitions");
        for (Column c : columns) {
            defs.addObject().put("name", c.name()).put("type", c.type().equals("date") ? "string" : c.type())
                    .put("format", c.type().equals("name") ? "name" : "").put("description", "")
                    .put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items")) {
            body.path("items").forEach(items::add);
        } else {
            items.add(body);
        }
        Instant now = Instant.now();
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                cells.add(cell(item, c, now));
            }
            if ("Object".equals(includeObject)) {
                row.set("object", item);
            } else if (!"None".equals(includeObject)) {
                row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1")
                        .set("metadata", item.path("metadata"));
            }
        }
        return table;
    }

    private static String cell(JsonNode item, Column c, Instant now) {
        if (c.jsonPath().equals("@ready")) {
            String ready = JsonPathLite.eval(item, ".status.conditions[?(@.type==\"Ready\")].status");
            return ready.equals("True") ? "Ready" : ready.isEmpty() ? "Unknown" : "NotReady";
        }
        if (c.jsonPath().equals("@roles")) {
            List<String> roles = new ArrayList<>();
            item.path("metadata").path("labels").propertyNames().forEach(l -> {
                if (l.startsWith("node-role.kubernetes.io/")) {
                    roles.add(l.substring("node-role.kubernetes.io/".length()));
                }
            });
            return roles.isEmpty() ? "<none>" : String.join(",", roles);
        }
        String value = JsonPathLite.eval(item, c.jsonPath());
        if (c.type().equals("date") && !value.isEmpty()) {
            try {
                return human(Duration.between(Instant.parse(value), now));
            } catch (DateTimeParseException e) {
                return value;
            }
        }
        return value;
    }

    /** kubectl's short ages: 45s, 3m10s, 25m, 5h3m, 20h, 3d4h, 40d. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        if (days < 8) {
            return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
        }
        return days + "d";
    }
}
