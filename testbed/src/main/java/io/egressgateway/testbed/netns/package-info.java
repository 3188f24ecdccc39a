/**
 * Network namespace plumbing for the testbed: argv-only process runs ({@code ip netns exec}),
 * threads that entered a namespace with {@code setns}, run ownership records and leftover cleanup,
 * and the guard proving the machine's own namespace was left alone.
 */
package io.egressgateway.testbed.netns;
