/**
 * The external host's echo server (answers with the source address it saw) and the client that
 * asks it from inside a pod's namespace: how the testbed proves which address traffic left with.
 */
package io.egressgateway.testbed.echo;
