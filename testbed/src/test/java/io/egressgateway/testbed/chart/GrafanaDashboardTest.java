package io.egressgateway.testbed.chart;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/monitoring/grafana-dashboard.json: every query uses only names of the metric contract
 * (metric-names.txt), parses as PromQL (promtool, with Grafana's variables filled in), and the
 * dashboard shows what issue 19 asks for.
 */
class GrafanaDashboardTest {

    private static JsonNode dashboard() throws Exception {
        return Monitoring.JSON.readTree(Monitoring.dir().resolve("grafana-dashboard.json").toFile());
    }

    /** "panel title" -> PromQL, from every panel's targets, the annotations and the variables. */
    private static Map<String, String> queries(JsonNode d) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : d.path("panels")) {
            int i = 0;
            for (JsonNode t : p.path("targets")) {
                out.put(p.path("title").asString() + " #" + i++, t.path("expr").asString());
            }
        }
        for (JsonNode a : d.path("annotations").path("list")) {
            if (a.has("expr")) {
                out.put("annotation " + a.path("name").asString(), a.get("expr").asString());
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            String q = v.path("query").path("query").asString();
            if (q.startsWith("label_values(")) {
                out.put("variable " + v.path("name").asString(), q.substring("label_values(".length(), q.indexOf(',')));
            }
        }
        return out;
    }

    @Test
    void everyQueryUsesOnlyContractMetrics() throws Exception {
        var contract = Monitoring.contract();
        Map<String, String> queries = queries(dashboard());
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> used = new TreeSet<>();
        for (var q : queries.entrySet()) {
            Set<String> names = Monitoring.metricNames(q.getValue());
            assertThat(names).as("%s uses no metric: %s", q.getKey(), q.getValue()).isNotEmpty();
            assertThat(Monitoring.outsideTheContract(names, contract)).as("%s: names missing from metric-names.txt",
                    q.getKey()).isEmpty();
            used.addAll(names);
        }
        // what issue 19 asks the dashboard to show
        assertThat(used).contains("egressgateway_policy_egress_bytes_total", "egressgateway_policy_steered_bytes_total",
                "egressgateway_gateway_eips_assigned", "egressgateway_gateway_eip_pool_size",
                "egressgateway_gateway_nodes_ready", "egressgateway_controller_failovers_total",
                "egressgateway_agent_pass_duration_seconds_bucket", "egressgateway_agent_drift_repaired_total",
                "egressgateway_agent_passes_total", "egressgateway_agent_heartbeat_age_seconds",
                "egressgateway_webhook_request_duration_seconds_bucket", "jvm_memory_used_bytes");
    }

    @Test
    void everyQueryGroupsAndFiltersByLabelsItsMetricsHave() throws Exception {
        var contract = Monitoring.contract();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : dashboard().path("panels")) {
            for (JsonNode t : p.path("targets")) {
                List<String> unknown = Monitoring.unknownLabels(t.path("expr").asString(),
                        t.path("legendFormat").asString(""), contract);
                if (!unknown.isEmpty()) {
                    problems.add(p.path("title").asString() + ": " + unknown + " in " + t.path("expr").asString());
                }
            }
        }
        assertThat(problems).as("labels no metric of the query has (metric-names.txt)").isEmpty();
    }

    @Test
    void everyQueryIsPromQl(@TempDir Path tmp) throws Exception {
        Promtool.binary();
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        int i = 0;
        for (String expr : queries(dashboard()).values()) {
            String filled = expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
                    .replaceAll("\\$(policy|gateway|node)\\b", ".*");
            assertThat(filled).as("a Grafana variable the test does not know").doesNotContain("$");
            rules.append("  - record: dashboard:query").append(i++).append("\n    expr: ")
                    .append(Monitoring.JSON.writeValueAsString(filled)).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("dashboard-queries.yaml"), rules);
        ProcessRunner.Result r = Promtool.run("check", "rules", file);
        assertThat(r.exitCode()).as("promtool check rules of the dashboard's queries:\n%s\n%s", r.stdout(), r.stderr())
                .isZero();
    }

    @Test
    void panelsHaveUniqueIdsAndTitlesTheDataSourceVariableAndFitTheGrid() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.path("uid").asString()).isEqualTo("egressgateway");
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            String title = p.path("title").asString();
            if (!ids.add(p.path("id").asInt())) {
                problems.add(title + ": id " + p.path("id") + " used twice");
            }
            if (!titles.add(title)) {
                problems.add(title + ": the title of two panels");
            }
            JsonNode g = p.path("gridPos");
            if (g.path("x").asInt() + g.path("w").asInt() > 24 || g.path("h").asInt() < 1) {
                problems.add(title + ": gridPos " + g + " does not fit 24 columns");
            }
            if (!p.path("type").asString().equals("row")
                    && !p.path("datasource").path("uid").asString().equals("${datasource}")) {
                problems.add(title + ": data source is not the ${datasource} variable");
            }
            if (!p.path("type").asString().equals("row") && p.path("description").asString().isBlank()) {
                problems.add(title + ": no description");
            }
        }
        assertThat(problems).isEmpty();
    }
}
