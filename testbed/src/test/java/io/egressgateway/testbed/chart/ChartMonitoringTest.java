package io.egressgateway.testbed.chart;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart's monitoring objects (values metrics.*): off by default; switched on, the monitors find
 * the metrics ports, the PrometheusRule is the rule file promtool tests with the heartbeat threshold
 * of the values, and the dashboard ConfigMap carries the dashboard file.
 */
class ChartMonitoringTest {

    private static List<JsonNode> docs(String yaml) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            JsonNode n = Monitoring.YAML.readTree(doc);
            if (n != null && n.has("kind")) {
                out.add(n);
            }
        }
        return out;
    }

    private static JsonNode only(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asString().equals(kind))
                .filter(d -> d.path("metadata").path("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    @Test
    void nothingOfMonitoringByDefault() throws Exception {
        String out = Helm.template("egressgateway");
        assertThat(out).doesNotContain("monitoring.coreos.com").doesNotContain("grafana_dashboard")
                .doesNotContain("egressgateway-controller-metrics");
    }

    @Test
    void theMonitorsScrapeTheMetricsPortsOfBothRoles() throws Exception {
        List<JsonNode> docs = docs(Helm.template("egw-system", "metrics.serviceMonitor.enabled=true",
                "metrics.serviceMonitor.labels.release=kps", "metrics.serviceMonitor.interval=15s",
                "agent.ports.metrics=9300", "controller.ports.metrics=9095"));
        JsonNode svc = only(docs, "Service", "egressgateway-controller-metrics");
        JsonNode sm = only(docs, "ServiceMonitor", "egressgateway-controller");
        JsonNode pm = only(docs, "PodMonitor", "egressgateway-agent");
        JsonNode agent = only(docs, "DaemonSet", "egressgateway-agent");
        JsonNode controller = only(docs, "Deployment", "egressgateway-controller");

        // the ServiceMonitor selects the metrics Service, not the webhook Service (same pods, no metrics port)
        assertThat(sm.at("/spec/selector/matchLabels").properties()).allSatisfy(
                l -> assertThat(svc.at("/metadata/labels/" + l.getKey().replace("/", "~1")).asString())
                        .isEqualTo(l.getValue().asString()));
        assertThat(only(docs, "Service", "egressgateway-webhook").at("/metadata/labels").has("egressgateway.spidernet.io/metrics"))
                .isFalse();
        assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(9095);
        assertThat(svc.at("/spec/ports/0/targetPort").asString()).isEqualTo("metrics");
        assertThat(controller.at("/spec/template/spec/containers/0/ports").toString())
                .contains("\"name\":\"metrics\",\"containerPort\":9095");
        assertThat(sm.at("/spec/endpoints/0/port").asString()).isEqualTo("metrics");

        // the PodMonitor's named port is the agent's metrics port
        assertThat(pm.at("/spec/podMetricsEndpoints/0/port").asString()).isEqualTo("metrics");
        assertThat(agent.at("/spec/template/spec/containers/0/ports").toString())
                .contains("\"name\":\"metrics\",\"containerPort\":9300");
        assertThat(pm.at("/spec/selector/matchLabels").toString())
                .isEqualTo(agent.at("/spec/selector/matchLabels").toString());

        for (JsonNode m : List.of(sm, pm)) {
            assertThat(m.at("/metadata/namespace").asString()).isEqualTo("egw-system");
            assertThat(m.at("/spec/namespaceSelector/matchNames/0").asString()).isEqualTo("egw-system");
            assertThat(m.at("/metadata/labels/release").asString()).isEqualTo("kps");
            assertThat(m.toString()).contains("\"interval\":\"15s\"").contains("\"targetLabel\":\"node\"");
        }
    }

    @Test
    void thePrometheusRuleIsTheTestedRuleFileWithTheHeartbeatThresholdOfTheValues() throws Exception {
        JsonNode file = Monitoring.yaml(Monitoring.rules());
        JsonNode byDefault = only(docs(Helm.template("egressgateway", "metrics.prometheusRule.enabled=true")),
                "PrometheusRule", "egressgateway");
        assertThat(byDefault.get("spec")).isEqualTo(file);

        JsonNode slow = only(docs(Helm.template("egressgateway", "metrics.prometheusRule.enabled=true",
                "heartbeat.interval=20s", "heartbeat.evictionTimeout=1m500ms")), "PrometheusRule", "egressgateway");
        String expr = Monitoring.alerts(slow.get("spec")).get("EgressGatewayAgentHeartbeatLate").get("expr").asString();
        assertThat(expr).isEqualTo("egressgateway_agent_heartbeat_age_seconds > 80.5");
        assertThat(Monitoring.alerts(file).get("EgressGatewayAgentHeartbeatLate").get("expr").asString())
                .isEqualTo("egressgateway_agent_heartbeat_age_seconds > 15");
    }

    @Test
    void aHeartbeatValueThatIsNoDurationIsRefusedByName() throws Exception {
        assertThat(Helm.run("template", Helm.RELEASE, Helm.chart().toString(), "--kube-version", Helm.kubeVersion(), "--set",
                "metrics.prometheusRule.enabled=true", "--set", "heartbeat.interval=ten").stderr())
                .contains("\"ten\" is not a duration such as 10s, 500ms or 1m30s");
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboardForTheSidecar() throws Exception {
        JsonNode cm = only(docs(Helm.template("egressgateway", "metrics.grafanaDashboard.enabled=true",
                "metrics.grafanaDashboard.namespace=monitoring", "metrics.grafanaDashboard.folder=Network")),
                "ConfigMap", "egressgateway-grafana-dashboard");
        assertThat(cm.at("/metadata/namespace").asString()).isEqualTo("monitoring");
        assertThat(cm.at("/metadata/labels/grafana_dashboard").asString()).isEqualTo("1");
        assertThat(cm.at("/metadata/annotations/grafana_folder").asString()).isEqualTo("Network");
        JsonNode shipped = Monitoring.JSON.readTree(cm.at("/data/egressgateway.json").asString());
        assertThat(shipped).isEqualTo(Monitoring.JSON.readTree(
                Files.readString(Monitoring.dir().resolve("grafana-dashboard.json"))));
    }
}
