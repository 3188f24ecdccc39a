package io.egressgateway.testbed.apiserver;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** What admission decided about one write: go ahead with this object, or refuse with this Status. */
sealed interface AdmissionResult {

    /** The write goes ahead with {@code object} (mutated by the mutating webhooks, if any). */
    record Allowed(JsonNode object, List<String> warnings) implements AdmissionResult {
    }

    /** The write is refused; {@code status} is the Kubernetes Status the client gets with HTTP {@code code}. */
    record Denied(int code, JsonNode status) implements AdmissionResult {
    }
}
