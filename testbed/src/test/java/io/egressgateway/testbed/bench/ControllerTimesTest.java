package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControllerTimesTest {
    private static String scrape(int fast, int slow) {
        int all = fast + slow;
        return "# TYPE egressgateway_controller_write_duration_seconds histogram\n"
                + "egressgateway_controller_write_duration_seconds_bucket{kind=\"update_slice\",le=\"0.025\"} " + fast + "\n"
                + "egressgateway_controller_write_duration_seconds_bucket{kind=\"update_slice\",le=\"0.1\"} " + all + "\n"
                + "egressgateway_controller_write_duration_seconds_bucket{kind=\"update_slice\",le=\"+Inf\"} " + all + "\n"
                + "egressgateway_controller_write_duration_seconds_sum{kind=\"update_slice\"} " + (fast * 0.02 + slow * 0.05) + "\n"
                + "egressgateway_controller_write_duration_seconds_count{kind=\"update_slice\"} " + all + "\n"
                + "egressgateway_controller_leader 1\n";
    }

    @Test
    void theScenarioIsTheDifferenceOfTwoScrapes() {
        var before = ControllerTimes.parse(scrape(10, 0));
        var after = ControllerTimes.parse(scrape(20, 10));
        Table t = ControllerTimes.table("t", before, after);
        assertThat(t.rows()).hasSize(1);
        // 10 fast (20 ms) and 10 slow (50 ms) writes happened between the scrapes
        assertThat(t.rows().get(0)).containsExactly("write_duration_seconds{kind=\"update_slice\"}", "20", "35.0", "25",
                "100");
    }

    @Test
    void aHistogramThatDidNotMoveIsLeftOut() {
        var s = ControllerTimes.parse(scrape(3, 1));
        assertThat(ControllerTimes.table("t", s, s).rows()).isEmpty();
    }
}
