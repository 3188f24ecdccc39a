package io.egressgateway.domain.model;

/** {@code EgressGateway.status.nodeList[].status}: only Ready nodes are elected. */
public enum NodeReadiness { Ready, NotReady, Unknown }
