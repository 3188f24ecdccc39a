package io.egressgateway.testbed.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/check-metric-names, which the lead runs on both roles' real /metrics at a merge: it accepts a
 * scrape that has every listed metric with its type and labels, and names what a scrape lacks.
 */
class CheckMetricNamesTest {

    /** A scrape in the text format 0.0.4 with every metric of the list, each label set. */
    private static String scrapeOf(Map<String, Monitoring.Metric> contract, String leaveOutLabel) {
        StringBuilder out = new StringBuilder();
        for (Monitoring.Metric m : contract.values()) {
            String labels = m.labels().stream().filter(l -> !(m.name() + "." + l).equals(leaveOutLabel))
                    .map(l -> l + "=\"v,\\\"x\\\"\"").collect(Collectors.joining(","));
            String set = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append("# HELP ").append(m.name()).append(" help\n# TYPE ").append(m.name()).append(' ')
                    .append(m.type()).append('\n');
            switch (m.type()) {
                case "histogram" -> out.append(m.name()).append("_bucket{le=\"+Inf\"} 1\n").append(m.name())
                        .append("_count 1\n").append(m.name()).append("_sum 0.5\n");
                case "summary" -> out.append(m.name()).append("_count").append(set).append(" 1\n").append(m.name())
                        .append("_sum").append(set).append(" 0.5\n");
                default -> out.append(m.name()).append(set).append(" 1\n");
            }
        }
        return out.toString();
    }

    private static ProcessRunner.Result check(Path scrape) {
        return ProcessRunner.tryRun(List.of(ProjectPaths.find("bin/check-metric-names").toString(), scrape.toString()),
                Duration.ofSeconds(30));
    }

    @Test
    void aScrapeWithTheWholeListPasses(@TempDir Path tmp) throws Exception {
        ProcessRunner.Result r = check(Files.writeString(tmp.resolve("all.txt"), scrapeOf(Monitoring.contract(), "")));
        assertThat(r.exitCode()).as("%s%s", r.stdout(), r.stderr()).isZero();
    }

    @Test
    void aMissingMetricAWrongTypeAndAMissingLabelAreNamed(@TempDir Path tmp) throws Exception {
        String all = scrapeOf(Monitoring.contract(), "egressgateway_policy_egress_bytes_total.eip");
        String broken = all.replace("# TYPE egressgateway_agent_fenced gauge\negressgateway_agent_fenced 1\n", "")
                .replace("# TYPE egressgateway_nodes gauge", "# TYPE egressgateway_nodes untyped");
        ProcessRunner.Result r = check(Files.writeString(tmp.resolve("broken.txt"), broken));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("egressgateway_agent_fenced (gauge): not exported")
                .contains("egressgateway_nodes: exported as untyped, listed as gauge")
                .contains("egressgateway_policy_egress_bytes_total: no sample has label eip")
                .doesNotContain("egressgateway_agent_passes_total");
    }
}
