package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        List<Double> v = new ArrayList<>(IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList());
        Collections.shuffle(v, new java.util.Random(7));
        Stats s = Stats.of(v);
        assertThat(s.p50()).isEqualTo(50.0);
        assertThat(s.p99()).isEqualTo(99.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(100.0);
        assertThat(s.n()).isEqualTo(100);
    }

    @Test
    void withFewSamplesP99IsTheLargest() {
        Stats s = Stats.of(List.of(300.0, 100.0, 200.0));
        assertThat(s.p50()).isEqualTo(200.0);
        assertThat(s.p99()).isEqualTo(300.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(5.0))).isEqualTo(5.0);
    }

    @Test
    void noSamplesIsAClearError() {
        assertThatThrownBy(() -> Stats.of(List.of())).hasMessageContaining("samples: empty");
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 0)).hasMessageContaining("(0, 100]");
    }
}
