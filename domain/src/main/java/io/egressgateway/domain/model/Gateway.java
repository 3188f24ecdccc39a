package io.egressgateway.domain.model;

/** An {@code EgressGateway}: candidate nodes by selector, the EIPs they may carry; status may be null. */
public record Gateway(String name, long generation, LabelSelector nodeSelector, IpPools ippools,
                      boolean clusterDefault, GatewayStatus status) {
}
