/**
 * The node's datapath as data: what the planner wants and what the kernel adapter observes are the
 * same type ({@link io.egressgateway.domain.datapath.Datapath}), so that the diff between them is a
 * pure function. Addresses are canonical text (the planner normalises them), which is what both the
 * kernel and a human reading a golden file see.
 */
package io.egressgateway.domain.datapath;
