/**
 * The Netty adapter: admission webhooks (AdmissionReview v1 over HTTPS, with a self-signed or
 * mounted certificate rotated in place), {@code /metrics} in the Prometheus text format from the
 * Dropwizard registry, {@code /healthz} and {@code /readyz}. {@link io.egressgateway.adapters.webhook.WebhookServer}
 * is the one public entry point; JSON is mapped to the domain records here, never in the hexagon.
 */
package io.egressgateway.adapters.webhook;
