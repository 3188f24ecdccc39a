/**
 * {@code egressgateway ctl}: the command line of the explain, status and move-eip use cases, and
 * their printing (tables and text for people, {@code -o json|yaml} for scripts). Connects with the
 * user's kubeconfig, never a pod's service account.
 */
package io.egressgateway.bootstrap.ctl;
