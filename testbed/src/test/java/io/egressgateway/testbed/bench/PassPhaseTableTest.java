package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassPhaseTableTest {
    private static PassPhaseTable.Scrape scrape(double steady, double cpuPerPhase, double wallPerPhase) {
        Map<String, Double> m = new HashMap<>();
        m.put("egressgateway_agent_pass_steady_recent", steady);
        for (String p : PassPhaseTable.PHASES) {
            m.put(PassPhaseTable.FAMILY + "{clock=\"cpu\",pass=\"steady\",phase=\"" + p + "\"}", cpuPerPhase);
            m.put(PassPhaseTable.FAMILY + "{clock=\"wall\",pass=\"steady\",phase=\"" + p + "\"}", wallPerPhase);
        }
        return new PassPhaseTable.Scrape(steady, m);
    }

    @Test
    void thePhasesAreMeanMillisecondsPerSteadyPassBetweenTheScrapes() {
        Map<String, double[]> m = PassPhaseTable.perPass(scrape(10, 1.0, 2.0), scrape(14, 1.2, 2.4));
        assertThat(m.keySet()).containsExactlyElementsOf(PassPhaseTable.PHASES);
        assertThat(m.get("observe")[0]).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.get("observe")[1]).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void anAgentWithoutTheFamilyOrWithoutNewPassesHasNoRow() {
        assertThat(PassPhaseTable.perPass(scrape(10, 1, 1), scrape(10, 2, 2))).isEmpty();
        assertThat(PassPhaseTable.perPass(new PassPhaseTable.Scrape(1, Map.of()), new PassPhaseTable.Scrape(5, Map.of())))
                .isEmpty();
        Table t = PassPhaseTable.table("t", Map.of("node1", scrape(10, 1, 1)), Map.of("node1", scrape(12, 1.1, 1.2)));
        assertThat(t.rows()).singleElement().satisfies(r -> {
            assertThat(r.get(0)).isEqualTo("node1");
            assertThat(r.get(r.size() - 1)).isEqualTo("350.0 / 700.0");
        });
    }
}
