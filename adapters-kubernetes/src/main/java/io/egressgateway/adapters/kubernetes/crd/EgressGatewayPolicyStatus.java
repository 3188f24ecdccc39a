package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** {@code EgressGatewayPolicy.status}, written by the controller only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressGatewayPolicyStatus {
    public Long observedGeneration;
    public Eip eip;
    /** The node carrying the policy (active-passive, or mode EgressIP). */
    public String node;
    /** All nodes carrying it (active-active with mode NodeIP/None). */
    public List<String> nodes;
    public Integer endpoints;
    public List<Condition> conditions;

    /** The EIP pair the policy's traffic leaves with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Eip {
        public String ipv4;
        public String ipv6;
    }
}
