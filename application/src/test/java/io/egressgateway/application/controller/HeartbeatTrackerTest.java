package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeartbeatTrackerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aLeaseIsStaleWhenItHasNotChangedForLongerThanTheTimeoutByTheControllersClock() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5));
        // the agent's clock is an hour behind: never matters, only changes count
        Instant agentTime = T0.minusSeconds(3600);
        assertThat(t.observe(Map.of("n1", agentTime), Set.of("n1"), T0).silent()).isEmpty();
        assertThat(t.observe(Map.of("n1", agentTime), Set.of("n1"), T0.plusSeconds(5)).stale()).isEmpty();
        assertThat(t.observe(Map.of("n1", agentTime), Set.of("n1"), T0.plusSeconds(6)).stale()).containsExactly("n1");
        assertThat(t.observe(Map.of("n1", agentTime.plusSeconds(1)), Set.of("n1"), T0.plusSeconds(7)).stale())
                .as("renewed").isEmpty();
    }

    @Test
    void aNodeWithoutLeaseIsSilentOnlyAfterTheStartGrace() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5));
        assertThat(t.observe(Map.of(), Set.of("n1"), T0).missing()).isEmpty();
        assertThat(t.observe(Map.of(), Set.of("n1"), T0.plusSeconds(6)).missing()).containsExactly("n1");
        assertThat(t.observe(Map.of(), Set.of("n1"), T0.plusSeconds(6)).stale()).isEmpty();
    }
}
