package io.egressgateway.domain.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EndpointSlicerTest {

    static Endpoint ep(int i) {
        return new Endpoint("ns", String.format("pod-%03d", i), "node1", List.of("10.244.0." + i), List.of());
    }

    static List<Endpoint> eps(int from, int to) {
        List<Endpoint> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(ep(i));
        }
        return out;
    }

    /** Applies a plan as the API server would, naming created slices s-new-N. */
    static List<EndpointSlice> apply(EndpointSlicer.SlicePlan plan, List<EndpointSlice> existing) {
        List<EndpointSlice> out = new ArrayList<>();
        for (EndpointSlice s : plan.desired(existing)) {
            out.add(s.name() != null ? s : new EndpointSlice("s-new-" + out.size(), s.policy(), s.endpoints()));
        }
        return out;
    }

    @Test
    void endpointsAreCutIntoSlicesOfAtMostMax() {
        EndpointSlicer.SlicePlan plan = EndpointSlicer.plan("shop", eps(0, 250), List.of(), 100);
        assertThat(plan.create()).extracting(s -> s.endpoints().size()).containsExactly(100, 100, 50);
        assertThat(plan.create()).allSatisfy(s -> assertThat(s.policy()).isEqualTo("shop"));
    }

    @Test
    void onePodAddedRewritesOneSliceOnly() {
        List<EndpointSlice> slices = apply(EndpointSlicer.plan("shop", eps(0, 250), List.of(), 100), List.of());
        List<Endpoint> more = eps(0, 251);
        EndpointSlicer.SlicePlan plan = EndpointSlicer.plan("shop", more, slices, 100);
        assertThat(plan.create()).isEmpty();
        assertThat(plan.update()).hasSize(1);
        assertThat(plan.unchanged()).hasSize(2);
    }

    @Test
    void onePodRemovedRewritesOnlyItsSliceAndEmptySlicesAreDeleted() {
        List<EndpointSlice> slices = apply(EndpointSlicer.plan("shop", eps(0, 150), List.of(), 100), List.of());
        List<Endpoint> fewer = new ArrayList<>(eps(0, 150));
        fewer.remove(3);
        EndpointSlicer.SlicePlan plan = EndpointSlicer.plan("shop", fewer, slices, 100);
        assertThat(plan.update()).singleElement().satisfies(s -> assertThat(s.endpoints()).hasSize(99));
        assertThat(plan.unchanged()).hasSize(1);
        assertThat(EndpointSlicer.plan("shop", List.of(), slices, 100).delete()).hasSize(2);
    }

    @Property
    void everyEndpointIsInExactlyOneSliceAndReplanningIsANoop(@ForAll @IntRange(max = 300) int before,
                                                              @ForAll @IntRange(max = 300) int after,
                                                              @ForAll @IntRange(min = 1, max = 120) int max,
                                                              @ForAll long seed) {
        List<EndpointSlice> slices = apply(EndpointSlicer.plan("p", eps(0, before), List.of(), max), List.of());
        List<Endpoint> now = new ArrayList<>(eps(0, after));
        java.util.Collections.shuffle(now, new Random(seed));
        List<EndpointSlice> next = apply(EndpointSlicer.plan("p", now, slices, max), slices);
        Set<String> seen = new HashSet<>();
        for (EndpointSlice s : next) {
            assertThat(s.endpoints()).isNotEmpty().hasSizeLessThanOrEqualTo(max);
            s.endpoints().forEach(e -> assertThat(seen.add(e.pod())).isTrue());
        }
        assertThat(seen).hasSize(after);
        EndpointSlicer.SlicePlan again = EndpointSlicer.plan("p", now, next, max);
        assertThat(again.create()).isEmpty();
        assertThat(again.update()).isEmpty();
        assertThat(again.delete()).isEmpty();
    }
}
