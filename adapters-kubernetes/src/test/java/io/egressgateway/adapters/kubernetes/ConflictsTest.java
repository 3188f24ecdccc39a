package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The write discipline every adapter uses: a 409 (stale resourceVersion, which a real API server
 * returns and the mock does not) re-runs read-change-write, a bounded number of times; anything
 * else is not retried.
 */
class ConflictsTest {
    private static KubernetesClientException status(int code) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage("code " + code).build());
    }

    @Test
    void aConflictReReadsAndWritesAgain() {
        AtomicInteger reads = new AtomicInteger();
        String result = Conflicts.retry("x", () -> {
            if (reads.incrementAndGet() < 3) {
                throw status(409);
            }
            return "written";
        });
        assertThat(result).isEqualTo("written");
        assertThat(reads).hasValue(3);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> Conflicts.retry("x", () -> {
            reads.incrementAndGet();
            throw status(422);
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(reads).hasValue(1);
    }

    @Test
    void endlessConflictsGiveUpAfterTheBound() {
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> Conflicts.retry("egressnode n1", () -> {
            reads.incrementAndGet();
            throw status(409);
        })).hasMessageContaining("egressnode n1").hasMessageContaining("still conflicting");
        assertThat(reads).hasValue(Conflicts.ATTEMPTS);
    }
}
