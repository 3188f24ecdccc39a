package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated bodies into the admission handler (jqwik, part of every {@code mvn verify}):
 * whatever arrives, the answer is a well-formed AdmissionReview, never an internal error.
 */
class AdmissionFuzzTest {
    @Property(tries = 1000)
    void random_bytes_get_a_well_formed_answer(@ForAll @Size(max = 600) byte[] body, @ForAll Phase phase) {
        ReviewFuzzing.assertWellFormedAnswer(body, ReviewFuzzing.admit(body, phase));
    }

    @Property(tries = 1000)
    void random_text_get_a_well_formed_answer(@ForAll @Size(max = 300) String body, @ForAll Phase phase) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ReviewFuzzing.assertWellFormedAnswer(bytes, ReviewFuzzing.admit(bytes, phase));
    }

    @Property(tries = 3000)
    void mutated_reviews_get_a_well_formed_answer(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds,
                                                  @ForAll Phase phase) {
        byte[] body = ReviewFuzzing.mutate(new Random(seed), rounds);
        ReviewFuzzing.assertWellFormedAnswer(body, ReviewFuzzing.admit(body, phase));
    }
}
