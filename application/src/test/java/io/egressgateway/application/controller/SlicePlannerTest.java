package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicePlannerTest {
    static Endpoint ep(String pod, String ip) {
        return new Endpoint("ns", pod, "n1", List.of(ip), List.of());
    }

    /** Applies ops to slices named s0, s1, ... for created ones. */
    static List<EndpointSlice> apply(List<EndpointSlice> slices, List<SlicePlanner.Op> ops) {
        List<EndpointSlice> out = new ArrayList<>(slices);
        int n = 100;
        for (SlicePlanner.Op op : ops) {
            if (op instanceof SlicePlanner.Create c) {
                out.add(new EndpointSlice("s" + n++, "p", c.endpoints()));
            } else if (op instanceof SlicePlanner.Update u) {
                out.replaceAll(s -> s.name().equals(u.slice()) ? new EndpointSlice(s.name(), "p", u.endpoints()) : s);
            } else if (op instanceof SlicePlanner.Delete d) {
                out.removeIf(s -> s.name().equals(d.slice()));
            }
        }
        return out;
    }

    @Test
    void createsSlicesOfAtMostMaxAndPlanningAgainDoesNothing() {
        List<Endpoint> want = List.of(ep("a", "10.0.0.1"), ep("b", "10.0.0.2"), ep("c", "10.0.0.3"));
        var ops = SlicePlanner.plan(List.of(), want, 2);
        assertThat(ops).hasSize(2).allMatch(o -> o instanceof SlicePlanner.Create);
        var slices = apply(List.of(), ops);
        assertThat(slices).allSatisfy(s -> assertThat(s.endpoints().size()).isLessThanOrEqualTo(2));
        assertThat(SlicePlanner.plan(slices, want, 2)).as("second plan is empty").isEmpty();
    }

    @Test
    void oneChangedPodRewritesOnlyItsSlice() {
        var slices = List.of(new EndpointSlice("s1", "p", List.of(ep("a", "10.0.0.1"), ep("b", "10.0.0.2"))),
                new EndpointSlice("s2", "p", List.of(ep("c", "10.0.0.3"), ep("d", "10.0.0.4"))));
        var ops = SlicePlanner.plan(slices, List.of(ep("a", "10.0.0.1"), ep("b", "10.0.0.2"), ep("c", "10.0.0.9"),
                ep("d", "10.0.0.4")), 2);
        assertThat(ops).containsExactly(new SlicePlanner.Update("s2", List.of(ep("c", "10.0.0.9"), ep("d", "10.0.0.4"))));
    }

    @Test
    void newPodsFillRoomFirstAndEmptiedSlicesGo() {
        var slices = List.of(new EndpointSlice("s1", "p", List.of(ep("a", "10.0.0.1"))),
                new EndpointSlice("s2", "p", List.of(ep("c", "10.0.0.3"))));
        var ops = SlicePlanner.plan(slices, List.of(ep("a", "10.0.0.1"), ep("e", "10.0.0.5")), 2);
        assertThat(ops).containsExactlyInAnyOrder(
                new SlicePlanner.Update("s1", List.of(ep("a", "10.0.0.1"), ep("e", "10.0.0.5"))),
                new SlicePlanner.Delete("s2"));
        assertThat(SlicePlanner.plan(List.of(new EndpointSlice("s1", "p", List.of(ep("a", "x")))), List.of(), 2))
                .containsExactly(new SlicePlanner.Delete("s1"));
    }

    @Test
    void aPodListedTwiceIsKeptOnce() {
        var slices = List.of(new EndpointSlice("s1", "p", List.of(ep("a", "10.0.0.1"))),
                new EndpointSlice("s2", "p", List.of(ep("a", "10.0.0.1"))));
        var after = apply(slices, SlicePlanner.plan(slices, List.of(ep("a", "10.0.0.1")), 2));
        assertThat(after.stream().mapToInt(s -> s.endpoints().size()).sum()).isEqualTo(1);
    }

    @Test
    void maxBelowOneIsRefusedWithTheValue() {
        assertThatThrownBy(() -> SlicePlanner.plan(List.of(), List.of(), 0)).hasMessageContaining("was 0");
    }
}
