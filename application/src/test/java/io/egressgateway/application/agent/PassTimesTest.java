package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PassTimesTest {
    @Test
    void quantilesAreOverTheRecentWindowByNearestRank() {
        PassTimes t = new PassTimes();
        assertThat(t.quantileSeconds(0.99)).isZero();
        for (int i = 1; i <= 100; i++) {
            t.record(i * 1_000_000L);
        }
        assertThat(t.quantileSeconds(0.5)).isEqualTo(0.050);
        assertThat(t.quantileSeconds(0.99)).isEqualTo(0.099);
        assertThat(t.quantileSeconds(1)).isEqualTo(0.100);
        // the window forgets: after WINDOW fast passes the slow ones are gone
        for (int i = 0; i < PassTimes.WINDOW; i++) {
            t.record(1_000_000L);
        }
        assertThat(t.quantileSeconds(1)).isEqualTo(0.001);
        assertThat(t.count()).isEqualTo(100 + PassTimes.WINDOW);
    }

    @Test
    void aQuantileOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new PassTimes().quantileSeconds(99)).hasMessageContaining("0..1");
    }
}
