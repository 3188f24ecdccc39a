package io.egressgateway.application.port.in;

/**
 * What became of a move request: {@code MOVED} (acknowledged by the controller, or already there),
 * {@code REFUSED} (not eligible: by this command's check, admission, or the controller), {@code
 * NOT_FOUND} (no such gateway, or the EIP is not in use), {@code TIMED_OUT} (written, not acknowledged
 * in time; the controller may still act on it), {@code REQUESTED} (written, not waited for).
 */
public record EipMoveOutcome(Result result, String request, String message) {
    public enum Result { MOVED, REFUSED, NOT_FOUND, TIMED_OUT, REQUESTED }
}
