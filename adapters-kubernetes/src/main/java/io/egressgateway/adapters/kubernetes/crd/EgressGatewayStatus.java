package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * {@code EgressGateway.status}, written by the controller only. {@code readyNodes} ("2/3") and
 * {@code activeNodes} ("node1,node2") are derived from {@code nodeList} for the printer columns,
 * which cannot count or join.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressGatewayStatus {
    public Long observedGeneration;
    @Pattern("^(active-passive|active-active)$")
    public String forwardMethod;
    public List<GatewayNodeEntry> nodeList;
    public String readyNodes;
    public String activeNodes;
    public IpUsageStatus ipUsage;
    @Pattern(Crds.MARK_PATTERN)
    public String mark;
    public List<Condition> conditions;

    /** One {@code nodeList} entry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class GatewayNodeEntry {
        public String name;
        @Pattern("^(Ready|NotReady|Unknown)$")
        public String status;
        public Boolean active;
        public List<InterfaceEntry> interfaces;
        public List<EipEntry> eips;
    }

    /** An EIP pair placed on a node and the policies that use it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EipEntry {
        public String ipv4;
        public String ipv6;
        public List<NamedRef> policies;
    }

    /** Pool sizes and free counts; an IPv6 pool larger than 2^63-1 addresses is reported as 2^63-1. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class IpUsageStatus {
        public Long ipv4Total;
        public Long ipv4Free;
        public Long ipv6Total;
        public Long ipv6Free;
    }
}
