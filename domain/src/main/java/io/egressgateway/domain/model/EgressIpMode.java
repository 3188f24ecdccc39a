package io.egressgateway.domain.model;

/**
 * How a policy's traffic is source-NATed on the gateway: to an EIP from the pool, to the gateway
 * node's own address, or not at all (the pod IP is kept; the network routes replies back).
 */
public enum EgressIpMode { EgressIP, NodeIP, None }
