package io.egressgateway.domain.model;

import java.util.List;

/**
 * {@code EgressGatewayPolicy.spec.appliedTo}: exactly one of podSelector / podSubnet (validation says
 * so); namespaceSelector only with podSelector. Null means "not given".
 */
public record AppliedTo(LabelSelector podSelector, LabelSelector namespaceSelector, List<String> podSubnet) {
    public AppliedTo {
        podSubnet = podSubnet == null ? null : List.copyOf(podSubnet);
    }
}
