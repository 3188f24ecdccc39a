/** The networks that are the cluster's own ({@code EgressClusterInfo}), computed from configuration and cluster objects. */
package io.egressgateway.domain.cluster;
