package io.egressgateway.application.port.out;

/**
 * Makes the API server trust the webhook's serving certificate: writes the CA bundle (PEM) into the
 * {@code caBundle} of the project's Validating- and MutatingWebhookConfigurations. Called at start
 * and after every rotation, before the new certificate is served. Idempotent; may throw, in which
 * case the caller retries on its next check and keeps serving the old certificate meanwhile.
 */
public interface PublishCaBundlePort {
    void publish(String caBundlePem) throws Exception;
}
