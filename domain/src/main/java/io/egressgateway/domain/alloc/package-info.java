/**
 * Allocators for tunnel addresses, tunnel MACs, marks and egress IPs. Each is a pure function of
 * the wanted keys and the values already claimed (statuses read back after a restart), so the
 * controller rebuilds them from the API server on every pass instead of keeping state that could
 * drift; none hands out a value twice, and two claimants of one value are resolved the same way
 * on every run (the smaller name keeps it) and reported.
 */
package io.egressgateway.domain.alloc;
