/**
 * The operating-system side of the adapter: libc calls through JNA, the namespace thread
 * ({@link io.egressgateway.adapters.linux.sys.NetnsExecutor}), child processes run with argument
 * vectors, and {@code /proc/sys}.
 */
package io.egressgateway.adapters.linux.sys;
