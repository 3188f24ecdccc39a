package io.egressgateway.testbed.chart;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import io.egressgateway.testbed.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of deploy/monitoring the monitoring tests read: the alert rules, their promtool tests,
 * the dashboard, and the metric-name contract (metric-names.txt).
 */
final class Monitoring {
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();
    /** A metric name of the product or of the JVM instrumentation in a PromQL expression. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:egressgateway|jvm|process)_[a-zA-Z0-9_:]*)");

    /** A line of metric-names.txt: name, type (counter, gauge, histogram, summary), labels. */
    record Metric(String name, String type, Set<String> labels) {
    }

    private Monitoring() {
    }

    static Path dir() {
        Path dir = ProjectPaths.find("deploy/monitoring");
        if (dir == null) {
            throw new IllegalStateException("deploy/monitoring not found from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path rules() {
        return dir().resolve("rules/egressgateway-alerts.yaml");
    }

    static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir().resolve("tests"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    /** alert name -> its rule, over every group of the rule file. */
    static Map<String, JsonNode> alerts(JsonNode ruleFile) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode group : ruleFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    out.put(rule.get("alert").asString(), rule);
                }
            }
        }
        return out;
    }

    static Map<String, Metric> contract() throws IOException {
        Map<String, Metric> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir().resolve("metric-names.txt"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length < 2 || !Set.of("counter", "gauge", "histogram", "summary").contains(f[1])) {
                throw new IllegalStateException("metric-names.txt: \"" + l + "\" is not: name type [labels]");
            }
            out.put(f[0], new Metric(f[0], f[1], f.length > 2 ? Set.of(f[2].split(",")) : Set.of()));
        }
        return out;
    }

    /** Every metric name {@code expr} uses. */
    static Set<String> metricNames(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Labels every target has: from the scrape (the chart's monitors add pod and node). */
    static final Set<String> SCRAPE_LABELS = Set.of("instance", "job", "namespace", "pod", "node", "container",
            "service", "endpoint");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    /** {@code {{label}}} in a Grafana legend, {@code $labels.label} in an alert's text. */
    private static final Pattern LEGEND_LABEL = Pattern.compile(
            "\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}|\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");

    /**
     * The label names {@code expr} (and a legend's {@code {{label}}}) uses that none of its metrics
     * has in the contract and no scrape adds: a histogram's {@code le} counts for its _bucket.
     */
    static List<String> unknownLabels(String expr, String legend, Map<String, Metric> contract) {
        Set<String> known = new LinkedHashSet<>(SCRAPE_LABELS);
        for (String name : metricNames(expr)) {
            String base = name.replaceFirst("_(bucket|sum|count)$", "");
            Metric m = contract.containsKey(name) ? contract.get(name) : contract.get(base);
            if (m != null) {
                known.addAll(m.labels());
            }
            if (name.endsWith("_bucket")) {
                known.add("le");
            }
        }
        Set<String> used = new LinkedHashSet<>();
        Matcher g = GROUPING.matcher(expr);
        while (g.find()) {
            for (String l : g.group(1).split(",")) {
                if (!l.isBlank()) {
                    used.add(l.strip());
                }
            }
        }
        Matcher m = MATCHER.matcher(expr);
        while (m.find()) {
            used.add(m.group(1));
        }
        Matcher l = LEGEND_LABEL.matcher(legend);
        while (l.find()) {
            used.add(l.group(1) != null ? l.group(1) : l.group(2));
        }
        used.removeAll(known);
        return new ArrayList<>(used);
    }

    /**
     * The names of {@code used} that the contract does not export: a histogram may be read as
     * _bucket, _sum, _count, a summary as _sum, _count; nothing else.
     */
    static List<String> outsideTheContract(Set<String> used, Map<String, Metric> contract) {
        List<String> out = new ArrayList<>();
        for (String name : used) {
            if (contract.containsKey(name)) {
                continue;
            }
            boolean ok = false;
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                if (name.endsWith(suffix)) {
                    Metric base = contract.get(name.substring(0, name.length() - suffix.length()));
                    ok = base != null && (base.type().equals("histogram")
                            || base.type().equals("summary") && !suffix.equals("_bucket"));
                }
            }
            if (!ok) {
                out.add(name);
            }
        }
        return out;
    }
}
