package io.egressgateway.domain.model;

/** {@code EgressGateway.status.ipUsage}: pool sizes and free counts (v6 pools may be huge). */
public record IpUsage(java.math.BigInteger ipv4Total, java.math.BigInteger ipv4Free, java.math.BigInteger ipv6Total,
                      java.math.BigInteger ipv6Free) {
}
