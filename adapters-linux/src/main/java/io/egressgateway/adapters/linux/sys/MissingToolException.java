package io.egressgateway.adapters.linux.sys;

/** A system tool or kernel feature the datapath needs is not there; the message says what to install. */
public final class MissingToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MissingToolException(String message) {
        super(message);
    }
}
