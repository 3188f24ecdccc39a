package io.egressgateway.testbed.chart;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts of deploy/monitoring/rules: promtool accepts them and their unit tests pass; every
 * alert has a test that sees it fire and one that sees it stay silent, a severity, a runbook in
 * docs/alerts.md, and uses only contract metrics; and the unit tests catch a broken alert (each
 * alert is broken twice, never firing and firing without its {@code for:}, and the tests must fail).
 */
class AlertRulesTest {

    @Test
    void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
        ProcessRunner.Result check = Promtool.run("check", "rules", Monitoring.rules());
        assertThat(check.exitCode()).as("promtool check rules:\n%s\n%s", check.stdout(), check.stderr()).isZero();
        ProcessRunner.Result test = Promtool.run(Monitoring.testFiles(), "test", "rules");
        assertThat(test.exitCode()).as("promtool test rules:\n%s\n%s", test.stdout(), test.stderr()).isZero();
        assertThat(test.stdout()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertIsSeenFiringAndSeenSilentByTheTestFileOfItsGroup() throws Exception {
        JsonNode rules = Monitoring.yaml(Monitoring.rules());
        for (JsonNode group : rules.path("groups")) {
            String name = group.get("name").asString();
            Path file = Monitoring.dir().resolve("tests").resolve(testFileOf(name));
            assertThat(file).as("the promtool tests of group %s", name).exists();
            JsonNode tests = Monitoring.yaml(file);
            assertThat(tests.path("rule_files").toString()).contains("egressgateway-alerts.yaml");
            Set<String> fired = new HashSet<>();
            Set<String> silent = new HashSet<>();
            for (JsonNode t : tests.path("tests")) {
                for (JsonNode a : t.path("alert_rule_test")) {
                    (a.path("exp_alerts").isEmpty() ? silent : fired).add(a.get("alertname").asString());
                }
            }
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asString();
                assertThat(fired).as("%s: a test where %s fires", file.getFileName(), alert).contains(alert);
                assertThat(silent).as("%s: a test where %s does not fire", file.getFileName(), alert).contains(alert);
            }
        }
    }

    @Test
    void everyAlertWaitsHasASeverityExplainsItselfAndHasARunbook() throws Exception {
        String runbooks = Files.readString(ProjectPaths.find("docs/alerts.md"));
        Map<String, JsonNode> alerts = Monitoring.alerts(Monitoring.yaml(Monitoring.rules()));
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6);
        for (var e : alerts.entrySet()) {
            JsonNode rule = e.getValue();
            assertThat(rule.path("for").asString()).as("%s for:", e.getKey()).matches("[0-9]+[smh]");
            assertThat(rule.path("labels").path("severity").asString()).as(e.getKey()).isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asString()).as(e.getKey()).isNotBlank();
            String text = rule.path("annotations").path("summary").asString()
                    + rule.path("annotations").path("description").asString();
            for (String label : labelsKept(rule.get("expr").asString())) {
                assertThat(text).as("%s names its %s", e.getKey(), label).contains("{{ $labels." + label + " }}");
            }
            String anchor = e.getKey().toLowerCase(Locale.ROOT);
            assertThat(rule.path("annotations").path("runbook_url").asString()).as(e.getKey())
                    .endsWith("/docs/alerts.md#" + anchor);
            assertThat(runbooks).as("docs/alerts.md has a section for %s", e.getKey()).contains("\n## " + e.getKey() + "\n");
        }
    }

    /** The promtool test file of a rule group: egressgateway-policies -> policies.test.yaml. */
    private static String testFileOf(String group) {
        return group.replaceFirst("^egressgateway-", "") + ".test.yaml";
    }

    /**
     * The labels an alert's series keep, which its text must name: those of {@code max by (...)};
     * none for an alert on a cluster-wide total ({@code max(...)}); a pod's otherwise (per target).
     */
    private static List<String> labelsKept(String expr) {
        Matcher by = Pattern.compile("^\\w+ by \\(([^)]*)\\)").matcher(expr);
        if (by.find()) {
            return List.of(by.group(1).split(",\\s*"));
        }
        return expr.startsWith("max(") ? List.of() : List.of("pod");
    }

    @Test
    void theAlertsUseOnlyContractMetricsAndTheirLabels() throws Exception {
        var contract = Monitoring.contract();
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : Monitoring.alerts(Monitoring.yaml(Monitoring.rules())).values()) {
            used.addAll(Monitoring.metricNames(rule.get("expr").asString()));
        }
        assertThat(used).isNotEmpty();
        assertThat(Monitoring.outsideTheContract(used, contract)).as("names missing from metric-names.txt").isEmpty();
        for (var e : Monitoring.alerts(Monitoring.yaml(Monitoring.rules())).entrySet()) {
            JsonNode a = e.getValue().path("annotations");
            assertThat(Monitoring.unknownLabels(e.getValue().get("expr").asString(),
                    a.path("summary").asString() + a.path("description").asString(), contract))
                    .as("%s: labels no metric of it has (metric-names.txt)", e.getKey()).isEmpty();
        }
    }

    @Test
    void aBrokenAlertFailsItsUnitTests(@TempDir Path tmp) throws Exception {
        Promtool.binary();
        JsonNode rules = Monitoring.yaml(Monitoring.rules());
        Files.createDirectories(tmp.resolve("rules"));
        Files.createDirectories(tmp.resolve("tests"));
        for (Path t : Monitoring.testFiles()) {
            Files.copy(t, tmp.resolve("tests").resolve(t.getFileName()));
        }
        List<String> survivors = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            Path tests = tmp.resolve("tests").resolve(testFileOf(group.get("name").asString()));
            for (JsonNode r : group.path("rules")) {
                survivors.addAll(survivingMutants(rules, r.get("alert").asString(), tmp, tests));
            }
        }
        assertThat(survivors).as("broken alerts the promtool tests did not catch").isEmpty();
    }

    /** Each way of breaking {@code alert} that its group's tests (in {@code tmp}) do not catch. */
    private static List<String> survivingMutants(JsonNode rules, String alert, Path tmp, Path tests) {
        List<String> survivors = new ArrayList<>();
        for (String mutant : List.of("never fires", "no for:")) {
            JsonNode broken = rules.deepCopy();
            ObjectNode rule = (ObjectNode) Monitoring.alerts(broken).get(alert);
            if (mutant.equals("never fires")) {
                rule.put("expr", "vector(1) == 0");
            } else {
                rule.remove("for");
            }
            Monitoring.YAML.writeValue(tmp.resolve("rules/egressgateway-alerts.yaml").toFile(), broken);
            ProcessRunner.Result r = Promtool.run("test", "rules", tests);
            if (r.exitCode() == 0 || !(r.stdout() + r.stderr()).contains("alertname: " + alert)) {
                survivors.add(alert + " (" + mutant + ")");
            }
        }
        return survivors;
    }
}
