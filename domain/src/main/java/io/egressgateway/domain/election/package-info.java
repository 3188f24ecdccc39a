/**
 * Gateway election and EIP placement: a pure function from a gateway, its previous status, the
 * nodes it selects with their readiness, and the policies that use it, to the gateway's new status
 * and each policy's decision (EIPs, node(s), conditions). Inputs are sorted before use, so every
 * replica computes the same answer; the previous status is an input, so the answer is sticky.
 */
package io.egressgateway.domain.election;
