package io.egressgateway.application.port.out;

/**
 * Keeps the webhook's CA (certificate and private key, PEM) where every controller replica and the
 * next start find it, so a rolling update or a second replica serves certificates from the CA the
 * API server already trusts. Compare-and-swap semantics: the first writer wins, the others adopt
 * what it stored. May throw (the API server is down); the caller then falls back to a CA of its own.
 */
public interface StoreWebhookCaPort {
    /** A CA as PEM text. */
    record StoredCa(String certificatePem, String privateKeyPem) {
    }

    /** The stored CA; when none is stored, stores {@code candidate} and returns it. */
    StoredCa loadOrStore(StoredCa candidate) throws Exception;

    /**
     * Stores {@code next} if {@code expected} is still what is stored (rotation); returns what is
     * stored afterwards, which is another replica's CA when it rotated first.
     */
    StoredCa replace(StoredCa expected, StoredCa next) throws Exception;
}
