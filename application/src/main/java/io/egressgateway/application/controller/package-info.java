/**
 * The controller role: a coalescing work queue fed by informer events, and one reconcile pass that
 * recomputes allocations, elections, statuses and endpoint slices from a snapshot, then writes only
 * what differs. Decisions are the domain's pure functions; the I/O goes through outbound ports.
 */
package io.egressgateway.application.controller;
