package io.egressgateway.application.port.out;

import io.egressgateway.domain.model.PodInfo;
import java.util.Map;
import java.util.Optional;

/**
 * Reads for {@code egressgateway ctl}, with the user's identity (their kubeconfig), once per command.
 * Failures (unreachable, forbidden) are thrown as {@link ReadFailedException} naming what could not be read.
 */
public interface ReadEgressStatePort {
    EgressState read();

    Optional<PodInfo> pod(String namespace, String name);

    /** The namespace's labels; empty when it has none or does not exist. */
    Map<String, String> namespaceLabels(String namespace);

    /** A read the API server refused or could not answer. */
    final class ReadFailedException extends RuntimeException {
        public ReadFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
