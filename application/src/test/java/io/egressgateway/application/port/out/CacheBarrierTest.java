package io.egressgateway.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheBarrierTest {
    private final CacheBarrier read = new CacheBarrier("120", Map.of("default", "100", "db", "110"));

    @Test
    void aCacheWithTheSameVersionsHasCaughtUp() {
        assertThat(read.reachedBy(Map.of("default", "100", "db", "110"))).isTrue();
    }

    @Test
    void aCacheWithLaterVersionsHasCaughtUp() {
        assertThat(read.reachedBy(Map.of("default", "130", "db", "110"))).isTrue();
    }

    @Test
    void anOlderVersionInTheCacheIsStale() {
        // the cache still holds the gateway from before the controller moved its EIP
        assertThat(read.reachedBy(Map.of("default", "90", "db", "110"))).isFalse();
    }

    @Test
    void anObjectReadButNotYetCachedIsStale() {
        assertThat(read.reachedBy(Map.of("default", "100"))).isFalse();
    }

    @Test
    void aCachedObjectTheReadDidNotSeeMustHaveBeenCreatedAfterIt() {
        assertThat(read.reachedBy(Map.of("default", "100", "db", "110", "old", "50"))).as("deleted since").isFalse();
        assertThat(read.reachedBy(Map.of("default", "100", "db", "110", "new", "121"))).as("created since").isTrue();
    }

    @Test
    void opaqueVersionsCountOnlyWhenEqual() {
        CacheBarrier opaque = new CacheBarrier("x", Map.of("default", "abc"));
        assertThat(opaque.reachedBy(Map.of("default", "abc"))).isTrue();
        assertThat(opaque.reachedBy(Map.of("default", "abd"))).isFalse();
        assertThat(opaque.reachedBy(Map.of("default", "abc", "other", "zzz"))).as("cannot tell when it was made").isFalse();
    }
}
