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
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5), Duration.ofSeconds(10));
        // the agent's clock is an hour behind: never matters, only changes count
        Instant agentTime = T0.minusSeconds(3600);
        assertThat(t.observe(Map.of("n1", agentTime), Set.of("n1"), Set.of("n1"), T0).silent()).isEmpty();
        assertThat(t.observe(Map.of("n1", agentTime), Set.of("n1"), Set.of("n1"), T0.plusSeconds(5)).stale()).isEmpty();
        assertThat(t.observe(Map.of("n1", agentTime), Set.of("n1"), Set.of("n1"), T0.plusSeconds(6)).stale()).containsExactly("n1");
        assertThat(t.observe(Map.of("n1", agentTime.plusSeconds(1)), Set.of("n1"), Set.of("n1"), T0.plusSeconds(7)).stale())
                .as("renewed").isEmpty();
    }

    @Test
    void aNodeWithoutLeaseIsSilentOnlyAfterTheStartGrace() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(t.observe(Map.of(), Set.of("n1"), Set.of("n1"), T0).missing()).isEmpty();
        assertThat(t.observe(Map.of(), Set.of("n1"), Set.of("n1"), T0.plusSeconds(6)).missing())
                .as("a gateway agent's JVM may take most of the eviction timeout to its first renewal").isEmpty();
        assertThat(t.observe(Map.of(), Set.of("n1"), Set.of("n1"), T0.plusSeconds(6)).unproven()).containsExactly("n1");
        assertThat(t.observe(Map.of(), Set.of("n1"), Set.of("n1"), T0.plusSeconds(16)).missing()).containsExactly("n1");
        assertThat(t.observe(Map.of(), Set.of("n1"), Set.of("n1"), T0.plusSeconds(16)).stale()).isEmpty();
    }

    @Test
    void aNodeThatIsNoGatewayCandidateRenewsEveryIntervalAndIsJudgedByIntervalPlusTimeout() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5), Duration.ofSeconds(10));
        Set<String> none = Set.of();
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), none, T0).silent()).isEmpty();
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), none, T0.plusSeconds(9)).stale())
                .as("between two slow renewals").isEmpty();
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), none, T0.plusSeconds(15)).stale()).isEmpty();
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), none, T0.plusSeconds(16)).stale()).containsExactly("n1");
        assertThat(t.limit("n1")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aNodeThatBecomesACandidateGetsTheGatewayTimeoutFromThatMomentOn() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5), Duration.ofSeconds(10));
        t.observe(Map.of("n1", T0), Set.of("n1"), Set.of(), T0);
        // labelled egress=true 8 s after its last slow renewal: not stale at once
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), Set.of("n1"), T0.plusSeconds(8)).stale()).isEmpty();
        assertThat(t.limit("n1")).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), Set.of("n1"), T0.plusSeconds(13)).stale()).isEmpty();
        assertThat(t.observe(Map.of("n1", T0), Set.of("n1"), Set.of("n1"), T0.plusSeconds(14)).stale())
                .as("its agent never switched to the fast schedule").containsExactly("n1");
    }

    @Test
    void aLeaseMarkedRestartingIsJudgedByTheSlowLimitUntilTheNextRenewal() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5), Duration.ofSeconds(10));
        Set<String> n1 = Set.of("n1");
        t.observe(Map.of("n1", T0), n1, n1, T0);
        // SIGTERM: the last renewal says "restarting"; the new JVM needs 8 s to its first renewal
        assertThat(t.observe(Map.of("n1", T0.plusSeconds(1)), n1, n1, n1, T0.plusSeconds(1)).silent()).isEmpty();
        assertThat(t.observe(Map.of("n1", T0.plusSeconds(1)), n1, n1, n1, T0.plusSeconds(9)).silent()).isEmpty();
        assertThat(t.observe(Map.of("n1", T0.plusSeconds(9)), n1, n1, T0.plusSeconds(9)).silent()).as("renewed").isEmpty();
        assertThat(t.observe(Map.of("n1", T0.plusSeconds(9)), n1, n1, T0.plusSeconds(15)).stale())
                .as("the mark is gone: the gateway limit again").containsExactly("n1");
    }

    @Test
    void anAgentThatSaidRestartingAndNeverCameBackIsSilentAfterTheSlowLimit() {
        HeartbeatTracker t = new HeartbeatTracker(Duration.ofSeconds(5), Duration.ofSeconds(10));
        Set<String> n1 = Set.of("n1");
        t.observe(Map.of("n1", T0), n1, n1, n1, T0);
        assertThat(t.observe(Map.of("n1", T0), n1, n1, n1, T0.plusSeconds(15)).stale()).isEmpty();
        assertThat(t.observe(Map.of("n1", T0), n1, n1, n1, T0.plusSeconds(16)).stale()).containsExactly("n1");
    }
}
