package io.egressgateway.testbed.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Checks that an AdmissionReview the fake webhook got is shaped like kube-apiserver's. */
final class JsonReviewAssert {
    private JsonReviewAssert() {
    }

    static void lastReviewFor(FakeAdmissionServer webhook, String name, String operation) {
        JsonNode review = webhook.reviews.stream()
                .filter(r -> name.equals(r.path("request").path("name").asString(""))
                        && operation.equals(r.path("request").path("operation").asString("")))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + operation + " review for " + name));
        JsonNode req = review.path("request");
        assertThat(review.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
        assertThat(req.path("uid").asString()).isNotEmpty();
        assertThat(req.path("kind").path("kind").asString()).isEqualTo("Widget");
        assertThat(req.path("resource").path("resource").asString()).isEqualTo("widgets");
        assertThat(req.path("object").path("metadata").path("name").asString()).isEqualTo(name);
    }
}
