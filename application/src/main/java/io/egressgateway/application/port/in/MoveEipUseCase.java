package io.egressgateway.application.port.in;

import java.time.Duration;

/**
 * {@code ctl move-eip GATEWAY EIP --to NODE}: checks eligibility on the current state, writes the
 * request, and waits up to {@code wait} (zero: not at all) for the controller's acknowledgement.
 */
public interface MoveEipUseCase {
    EipMoveOutcome move(String gateway, String eip, String node, Duration wait);
}
