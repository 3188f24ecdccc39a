/**
 * The embedded Kubernetes API server of the testbed: fabric8's mock server in CRUD mode, plus the
 * discovery, RFC 7386 merge patch and admission webhook calls that kubectl and the roles rely on.
 * Only {@link io.egressgateway.testbed.apiserver.EmbeddedApiServer} is public.
 */
package io.egressgateway.testbed.apiserver;
