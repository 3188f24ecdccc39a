package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.EndpointSlice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller's own slice writes laid over a snapshot that has not caught up with them. */
class SliceOverlayTest {
    final long[] clock = {0};
    final SliceOverlay o = new SliceOverlay(() -> clock[0]);

    private static EndpointSlice slice(String name, String... pods) {
        return new EndpointSlice(name, "shop", java.util.Arrays.stream(pods)
                .map(p -> new Endpoint("shop", p, "n1", List.of("10.244.1." + p.length()), List.of())).toList());
    }

    @Test
    void aCreateNotListedYetIsPartOfTheViewUntilTheSnapshotShowsIt() {
        o.created(slice("shop-b", "c"));
        assertThat(o.view(List.of(slice("shop-a", "a")))).containsExactlyInAnyOrder(slice("shop-a", "a"), slice("shop-b", "c"));
        assertThat(o.view(List.of(slice("shop-a", "a"), slice("shop-b", "c")))).hasSize(2);
        assertThat(o.size()).as("caught up").isZero();
    }

    @Test
    void anUpdateShowsWhatWasWrittenWhileTheSnapshotShowsTheOldContents() {
        o.updated(slice("shop-a", "a", "bb"));
        assertThat(o.view(List.of(slice("shop-a", "a")))).containsExactly(slice("shop-a", "a", "bb"));
        assertThat(o.view(List.of(slice("shop-a", "a", "bb")))).containsExactly(slice("shop-a", "a", "bb"));
        assertThat(o.size()).isZero();
    }

    @Test
    void aDeleteHidesTheSliceUntilItIsGone() {
        o.deleted("shop-a");
        assertThat(o.view(List.of(slice("shop-a", "a")))).isEmpty();
        assertThat(o.view(List.of())).isEmpty();
        assertThat(o.size()).isZero();
    }

    @Test
    void anUpdatedSliceSomeoneElseRemovedIsNotBroughtBack() {
        o.updated(slice("shop-a", "a", "bb"));
        assertThat(o.view(List.of())).isEmpty();
        assertThat(o.size()).isZero();
    }

    @Test
    void afterTheExpiryTheSnapshotIsTrustedAgain() {
        o.updated(slice("shop-a", "a", "bb"));
        clock[0] += SliceOverlay.EXPIRY.toNanos() + 1;
        assertThat(o.view(List.of(slice("shop-a", "a")))).containsExactly(slice("shop-a", "a"));
    }
}
