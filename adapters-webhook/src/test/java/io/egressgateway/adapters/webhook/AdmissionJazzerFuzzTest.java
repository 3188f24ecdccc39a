package io.egressgateway.adapters.webhook;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Coverage-guided fuzzing of the admission handler with Jazzer, opt-in:
 * {@code JAZZER_FUZZ=1 mvn -pl adapters-webhook -am verify -Dtest=AdmissionJazzerFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. Jazzer's agent costs about a minute of start-up on the
 * 2-core build machine even to replay an empty corpus, so every build runs the jqwik fuzz test
 * ({@link AdmissionFuzzTest}) instead and this one is skipped unless asked for.
 */
@EnabledIfEnvironmentVariable(named = "JAZZER_FUZZ", matches = ".+",
        disabledReason = "coverage-guided fuzzing is opt-in: set JAZZER_FUZZ=1 (AdmissionFuzzTest always runs)")
class AdmissionJazzerFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void every_body_gets_a_well_formed_answer(FuzzedDataProvider data) {
        Phase phase = data.consumeBoolean() ? Phase.MUTATE : Phase.VALIDATE;
        byte[] body = data.consumeRemainingAsBytes();
        ReviewFuzzing.assertWellFormedAnswer(body, ReviewFuzzing.admit(body, phase));
    }
}
