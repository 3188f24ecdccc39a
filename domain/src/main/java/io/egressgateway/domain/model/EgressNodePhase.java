package io.egressgateway.domain.model;

/** {@code EgressNode.status.phase}. */
public enum EgressNodePhase { Pending, Init, Succeeded, Failed, HeartbeatTimeout }
