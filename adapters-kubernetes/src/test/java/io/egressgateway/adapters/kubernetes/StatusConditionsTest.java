package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.mapping.Values;
import io.egressgateway.domain.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EgressClusterInfo condition carries the object's generation and keeps its transition time. */
class StatusConditionsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);

    private static io.fabric8.kubernetes.api.model.Condition cr(String status, Instant since) {
        var c = new io.fabric8.kubernetes.api.model.Condition();
        c.setType("ClusterCIDRsIncomplete");
        c.setStatus(status);
        c.setReason("r");
        c.setMessage("m");
        c.setObservedGeneration(1L);
        c.setLastTransitionTime(since.toString());
        return c;
    }

    @Test
    void takesTheObjectsGenerationAndKeepsTheTimeWhileTheStatusHolds() {
        Condition decided = new Condition("ClusterCIDRsIncomplete", Condition.Status.False, "AllSourcesKnown", "ok", 0, T1);

        List<Condition> same = KubernetesStatusesAdapter.stamped(List.of(decided), 3L, List.of(cr("False", T0)));
        List<Condition> flipped = KubernetesStatusesAdapter.stamped(List.of(decided), 3L, List.of(cr("True", T0)));
        List<Condition> fresh = KubernetesStatusesAdapter.stamped(List.of(decided), 3L, null);

        assertThat(same).singleElement().satisfies(c -> {
            assertThat(c.observedGeneration()).isEqualTo(3);
            assertThat(c.lastTransitionTime()).isEqualTo(T0);
        });
        assertThat(flipped.get(0).lastTransitionTime()).isEqualTo(T1);
        assertThat(fresh.get(0).observedGeneration()).isEqualTo(3);
        assertThat(Values.conditions(null)).isEmpty();
    }
}
