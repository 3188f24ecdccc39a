/**
 * The fabric8 adapter: informers, status writers, heartbeats and leader election behind the
 * application's ports. {@link io.egressgateway.adapters.kubernetes.KubernetesAdapters} is the one
 * public entry; everything else here is package-private.
 */
package io.egressgateway.adapters.kubernetes;
