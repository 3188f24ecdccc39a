/**
 * Which pods a policy selects, and how they are cut into EgressEndpointSlices so agents watch
 * small slices instead of every Pod; slicing keeps pods in the slice they are in, so one pod
 * changing rewrites one slice.
 */
package io.egressgateway.domain.select;
