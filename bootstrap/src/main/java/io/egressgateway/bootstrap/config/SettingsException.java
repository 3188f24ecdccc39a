package io.egressgateway.bootstrap.config;

/** A configuration that cannot be used; the message names the key, the value and what was expected. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}
