/**
 * Admission of writes to the custom resources: the rules of {@code spec/api.md} (section
 * Validation) and the defaults the mutating webhook fills in. Pure apart from reading the current
 * gateways and policies through {@code ReadClusterResourcesPort}; the adapter does JSON and HTTP.
 */
package io.egressgateway.application.admission;
