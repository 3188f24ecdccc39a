/**
 * Admission of writes to the custom resources: applies the domain's rules and defaults
 * ({@code domain.validation}) to a decoded request, and adds what only admission knows (the
 * gateway finalizer, delete held while policies use a gateway, who may write controller-owned
 * kinds, old values kept on update). Reads the current gateways and policies through
 * {@code ReadClusterResourcesPort}; the adapter does JSON and HTTP.
 */
package io.egressgateway.application.admission;
