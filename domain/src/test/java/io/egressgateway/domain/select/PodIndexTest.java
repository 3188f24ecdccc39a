package io.egressgateway.domain.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PodIndexTest {
    private static final String[] KEYS = {"app", "tier", "team"};
    private static final String[] VALUES = {"a", "b", "c", ""};

    @Test
    void selectingFromTheCandidatesGivesWhatSelectingFromAllPodsGives() {
        Random r = new Random(18);
        for (int round = 0; round < 200; round++) {
            List<PodInfo> pods = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pods.add(new PodInfo("ns" + r.nextInt(2), "p" + i, labels(r), "node1",
                        List.of("10.0." + round % 250 + "." + i), r.nextInt(10) == 0, r.nextInt(10) == 0));
            }
            Map<String, Map<String, String>> namespaces = Map.of("ns0", labels(r), "ns1", labels(r));
            PodIndex index = PodIndex.of(pods);
            for (int j = 0; j < 10; j++) {
                LabelSelector pods2 = LabelSelector.of(labels(r));
                LabelSelector ns = r.nextBoolean() ? null : LabelSelector.of(labels(r));
                Policy p = EndpointSelectorTest.policy(new AppliedTo(pods2, ns, null));
                assertThat(EndpointSelector.select(p, index.candidates(p), namespaces))
                        .isEqualTo(EndpointSelector.select(p, pods, namespaces));
            }
        }
    }

    @Test
    void onlyPodsWithTheRarestRequiredLabelAreCandidates() {
        List<PodInfo> pods = List.of(
                new PodInfo("ns", "x", Map.of("app", "a", "tier", "t1"), "n", List.of("10.0.0.1"), false, false),
                new PodInfo("ns", "y", Map.of("app", "a", "tier", "t2"), "n", List.of("10.0.0.2"), false, false),
                new PodInfo("ns", "z", Map.of("app", "b"), "n", List.of("10.0.0.3"), false, false));
        Policy p = EndpointSelectorTest.policy(new AppliedTo(LabelSelector.of(Map.of("app", "a", "tier", "t2")), null, null));
        assertThat(PodIndex.of(pods).candidates(p)).extracting(PodInfo::name).containsExactly("y");
        Policy subnet = EndpointSelectorTest.policy(new AppliedTo(null, null, List.of("10.0.0.0/24")));
        assertThat(PodIndex.of(pods).candidates(subnet)).hasSize(3);
    }

    private static Map<String, String> labels(Random r) {
        Map<String, String> m = new HashMap<>();
        for (String k : KEYS) {
            if (r.nextInt(3) > 0) {
                m.put(k, VALUES[r.nextInt(VALUES.length)]);
            }
        }
        return m;
    }
}
