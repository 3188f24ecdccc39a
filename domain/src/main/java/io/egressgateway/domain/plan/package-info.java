/**
 * From an immutable snapshot of the cluster as one node sees it to the complete desired datapath of
 * that node ({@link io.egressgateway.domain.plan.DatapathPlanner}). Pure: the agent observes the
 * kernel, diffs with {@link io.egressgateway.domain.datapath.DatapathDiff} and applies.
 */
package io.egressgateway.domain.plan;
