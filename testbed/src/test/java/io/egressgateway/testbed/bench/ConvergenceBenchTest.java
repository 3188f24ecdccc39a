package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceBenchTest {
    private static final Map<String, Long> LOCAL = Map.of("node1", 3334L, "node2", 3333L, "node3", 3333L);

    @Test
    void convergedWhenTheEipsNodeHoldsEveryEndpointAndTheOthersTheirOwn() {
        assertThat(ConvergenceBench.converged(Map.of("node1", 3334L, "node2", 10_000L, "node3", 3333L), LOCAL, 10_000))
                .isTrue();
        assertThat(ConvergenceBench.converged(Map.of("node1", 3334L, "node2", 3333L, "node3", 10_000L), LOCAL, 10_000))
                .as("the EIP on the other gateway").isTrue();
    }

    @Test
    void notConvergedWhileAnyNodeMissesSomething() {
        assertThat(ConvergenceBench.converged(Map.of("node1", 3333L, "node2", 10_000L, "node3", 3333L), LOCAL, 10_000))
                .as("node1 one short").isFalse();
        assertThat(ConvergenceBench.converged(Map.of("node1", 3334L, "node2", 9_999L, "node3", 3333L), LOCAL, 10_000))
                .as("no node holds everything").isFalse();
    }
}
