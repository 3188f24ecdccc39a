/**
 * The product's roles as containers of the one image (podman, runc), set up from the rendered install
 * manifest as a kubelet would: security context, command, environment, volumes, probes, memory limit.
 */
package io.egressgateway.testbed.container;
