package io.egressgateway.application.port.out;

/**
 * Writes an EIP move request: the gateway annotation {@code egressgateway.spidernet.io/move-eip}
 * (a metadata write, admitted by the webhook, which may refuse it).
 */
public interface RequestEipMovePort {
    /** @throws RefusedException when the API server (admission) refuses the write, with its message */
    void request(String gateway, String annotationValue);

    /** Admission or the API server said no; the message is theirs. */
    final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }
}
